/// An id a plugin owns on the wire, declared once without the plugin prefix and shared by the
/// view that shows it and the route that answers it:
/// `static let escalate = ActionKey<CasesPlugin>("escalate")` is `cases.escalate` on the wire.
/// Two plugins that both declare `refresh` get `a.refresh` and `b.refresh`, so they cannot collide
/// by accident. Job names need no key of this kind: ``JobKey`` names are stored per plugin already.
public struct PluginKey<P: Plugin, Kind>: Sendable, Hashable, CustomStringConvertible {
    /// The id as the plugin declares it (`escalate`).
    public let name: String
    /// The id on the wire (`cases.escalate`): what blocks, views and the route table carry.
    public let wire: String

    public init(_ name: String) {
        self.name = name
        self.wire = "\(P.id).\(name)"
    }

    private init(name: String, wire: String) {
        self.name = name
        self.wire = wire
    }

    /// A key whose wire id is `wire` exactly, without the plugin prefix: for ids that went on the
    /// wire before the host namespaced them, or that configuration chooses.
    public static func unprefixed(_ wire: String) -> Self { Self(name: wire, wire: wire) }

    /// A key below this one (`assign` → `assign.commander`), for ids that carry a parameter.
    public func appending(_ component: String) -> Self { Self(name: "\(name).\(component)", wire: "\(wire).\(component)") }

    public var description: String { wire }
}

/// Tags ``PluginKey`` as a Block Kit `action_id` (buttons, selects, checkboxes).
public enum ActionKind {}
/// Tags ``PluginKey`` as a `callback_id` (modals and shortcuts).
public enum CallbackKind {}

/// A button's or select's `action_id`, declared without the plugin prefix.
public typealias ActionKey<P: Plugin> = PluginKey<P, ActionKind>
/// A modal's or shortcut's `callback_id`, declared without the plugin prefix.
public typealias CallbackKey<P: Plugin> = PluginKey<P, CallbackKind>
