/// Registrations by key: the route answers the key's wire id (`<plugin id>.<name>`), the same id
/// the plugin's views put on their buttons and modals, so the id is written once.
extension Routes {
    /// A button or select with this key's `action_id`.
    public mutating func blockAction<Context: RouteContext>(_ key: ActionKey<P>, use method: @escaping Method<BlockAction, Reply, Context>) {
        blockAction(key.wire, use: method)
    }

    /// Submission of a modal opened with this key's `callback_id`.
    public mutating func viewSubmission<Context: RouteContext>(
        _ key: CallbackKey<P>, use method: @escaping Method<ViewSubmission, Reply, Context>
    ) {
        viewSubmission(key.wire, use: method)
    }

    /// A modal with this key's `callback_id` was closed (needs `notifyOnClose`).
    public mutating func viewClosed<Context: RouteContext>(_ key: CallbackKey<P>, use method: @escaping Method<ViewSubmission, Void, Context>) {
        viewClosed(key.wire, use: method)
    }

    /// A message shortcut with this key's `callback_id`.
    public mutating func messageShortcut<Context: RouteContext>(
        _ key: CallbackKey<P>, name: String, description: String, use method: @escaping Method<Shortcut, Reply, Context>
    ) {
        messageShortcut(key.wire, name: name, description: description, use: method)
    }

    /// A global shortcut with this key's `callback_id`.
    public mutating func globalShortcut<Context: RouteContext>(
        _ key: CallbackKey<P>, name: String, description: String, use method: @escaping Method<Shortcut, Reply, Context>
    ) {
        globalShortcut(key.wire, name: name, description: description, use: method)
    }
}
