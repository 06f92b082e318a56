import CasebookKit

/// The draft modal: name, status, the customer-facing message, whether to notify subscribers, and
/// the page's components with the status each should get. It opens at once with the components
/// still loading; a job lists them and updates the modal (``ComponentList``), so a slow or
/// unreachable Statuspage never holds the modal or the ack, and a draft can be written without them.
enum DraftModal {
    static let callbackID = CallbackKey<StatuspagePlugin>("draft")
    static let nameBlock = "name"
    static let statusBlock = "status"
    static let bodyBlock = "body"
    static let notifyBlock = "notify"
    static let componentPrefix = "component_"
    static let notAffected = "not_affected"
    /// Inputs a modal can still hold next to the others (Slack allows 100 blocks).
    static let maximumComponents = 40

    /// The case (and, when editing, the approval) the modal is about.
    struct Subject: Codable, Sendable, Equatable {
        var caseID: String
        var approvalID: String?

        var encoded: String { (try? JSONValue.from(self).encoded()) ?? "" }

        init(caseID: String, approvalID: String?) {
            self.caseID = caseID
            self.approvalID = approvalID
        }

        init?(_ text: String) {
            guard let value = try? JSONValue.decode(text).decode(as: Subject.self) else { return nil }
            self = value
        }
    }

    /// Where the component list stands while the modal is open.
    enum Components: Sendable, Equatable {
        case loading
        case listed([StatuspageAPI.Component])
        case unavailable(String)
    }

    static func make(_ draft: Draft, subject: Subject, components: Components) -> View {
        let statusOptions = Draft.Status.allCases.map { Option($0.label, value: $0.rawValue) }
        let notifyOptions = [Option("Yes, notify subscribers", value: "yes"), Option("No, publish silently", value: "no")]
        return View(
            title: subject.approvalID == nil ? "Status page draft" : "Edit status page draft", callbackID: callbackID.wire,
            submit: "Post draft", privateMetadata: subject.encoded
        ) {
            Block.section("Drafting does not publish anything: the draft is posted in the case channel, and only an approver's *Approve & publish* sends it to Statuspage.")
            Block.input(
                "Incident name", element: .textInput(actionID: nameBlock, initialValue: SlackText.truncated(draft.name, to: Draft.maximumName), maxLength: Draft.maximumName),
                blockID: nameBlock)
            Block.input(
                "Status", element: .staticSelect(
                    actionID: statusBlock, placeholder: "Status", options: statusOptions,
                    initial: statusOptions.first { $0.value == draft.status.rawValue }),
                blockID: statusBlock)
            Block.input(
                "Message for customers", element: .textInput(
                    actionID: bodyBlock, multiline: true, placeholder: "What customers notice, what we are doing, when the next update comes",
                    initialValue: draft.body.isEmpty ? nil : SlackText.truncated(draft.body, to: Draft.maximumBody), maxLength: Draft.maximumBody),
                blockID: bodyBlock)
            Block.input(
                "Notify subscribers", element: .staticSelect(
                    actionID: notifyBlock, placeholder: "Notify", options: notifyOptions, initial: notifyOptions[draft.deliverNotifications ? 0 : 1]),
                blockID: notifyBlock)
            componentBlocks(draft, components)
        }
    }

    static func componentBlocks(_ draft: Draft, _ components: Components) -> [Block] {
        switch components {
        case .loading:
            return [.context([.markdown("⏳ Listing the page's components from Statuspage…")], blockID: "components_note")]
        case .unavailable(let reason):
            return [.context([.markdown("⚠️ The components could not be listed (\(SlackText.escaped(reason))); the draft can go without them.")], blockID: "components_note")]
        case .listed(let list) where list.isEmpty:
            return [.context([.markdown("The page has no components.")], blockID: "components_note")]
        case .listed(let list):
            let options = [Option("Not affected", value: notAffected)] + Draft.componentStatuses.map { Option(Draft.componentLabel($0), value: $0) }
            var blocks: [Block] = [.header("Affected components", blockID: "components_header")]
            for component in list.prefix(maximumComponents) {
                let chosen = draft.components[component.id] ?? notAffected
                blocks.append(.input(
                    SlackText.truncated(component.name, to: 150),
                    element: .staticSelect(actionID: "status", placeholder: "Status", options: options, initial: options.first { $0.value == chosen }),
                    blockID: componentPrefix + component.id, optional: true, hint: "Now: \(Draft.componentLabel(component.status))"))
            }
            if list.count > maximumComponents {
                blocks.append(.context([.markdown("Only the first \(maximumComponents) of \(list.count) components fit in this modal.")]))
            }
            return blocks
        }
    }

    /// The draft a submission describes, or the field errors to show. Component names come from
    /// the list remembered when the modal was filled.
    static func draft(
        from submission: ViewSubmission, caseID: String, channelID: String, known: [StatuspageAPI.Component]
    ) -> Result<Draft, ViewErrors> {
        func text(_ block: String) -> String { submission.value(block)?.value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        let name = text(nameBlock)
        let body = text(bodyBlock)
        var errors: [String: String] = [:]
        if name.isEmpty { errors[nameBlock] = "Name the incident as customers will see it." }
        if name.count > Draft.maximumName { errors[nameBlock] = "At most \(Draft.maximumName) characters." }
        if body.isEmpty { errors[bodyBlock] = "Write what customers should read." }
        if body.count > Draft.maximumBody { errors[bodyBlock] = "At most \(Draft.maximumBody) characters." }
        guard let status = Draft.Status(rawValue: text(statusBlock)) else {
            errors[statusBlock] = "Pick a status."
            return .failure(ViewErrors(errors))
        }
        guard errors.isEmpty else { return .failure(ViewErrors(errors)) }
        var components: [String: String] = [:]
        var names: [String: String] = [:]
        for (block, _) in submission.values where block.hasPrefix(componentPrefix) {
            let id = String(block.dropFirst(componentPrefix.count))
            guard let value = submission.value(block)?.value, value != notAffected, Draft.componentStatuses.contains(value) else { continue }
            components[id] = value
            names[id] = known.first { $0.id == id }?.name ?? id
        }
        return .success(Draft(
            caseID: caseID, channelID: channelID, name: name, status: status, body: body, components: components, componentNames: names,
            deliverNotifications: text(notifyBlock) != "no"))
    }

    /// Field errors keyed by block id.
    struct ViewErrors: Error, Sendable {
        var errors: [String: String]
        init(_ errors: [String: String]) { self.errors = errors }
    }
}
