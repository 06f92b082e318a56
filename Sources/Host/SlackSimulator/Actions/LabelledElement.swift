public import CasebookKit

/// An interactive element found by what a person sees on it, so a test can say "click Escalate"
/// instead of repeating the element's action id.
public struct LabelledElement: Sendable, Equatable {
    public var actionID: String
    public var blockID: String?
    /// `button`, `static_select`, `users_select`, …
    public var type: String
    /// A button's `value`.
    public var value: String?
    /// A select's options as (value, text).
    public var options: [Option]

    public struct Option: Sendable, Equatable {
        public var value: String
        public var text: String
    }

    /// The value of the option `choice` names (its value or its text, case-insensitively).
    public func option(_ choice: String) -> String? {
        options.first { $0.value == choice }?.value ?? options.first { $0.text.lowercased() == choice.lowercased() }?.value
    }
}

extension SlackSimulator {
    /// The element called `label` (a button's text, a select's placeholder or an input's label,
    /// else its action id) in a message as `user` sees it, or in an open view. Throws, listing
    /// what is there, when none is.
    public func element(_ label: String, in container: ActionContainer, user: String) throws -> LabelledElement {
        try store.withState { state in
            let person = try Self.person(state, user)
            let blocks: [JSONValue]
            switch container {
            case .message(let channel, let ts):
                let conversation = try Self.conversation(state, channel)
                let ephemeral = state.ephemerals.first { $0.channel == conversation.id && $0.ts == ts && $0.user == person.id }
                guard let found = state.message(channel: conversation.id, ts: ts)?.blocks ?? ephemeral?.blocks else {
                    throw SimulatorError("no message \(ts) in \(conversation.id)")
                }
                blocks = found
            case .view(let id):
                guard let view = state.views[id], view.user == person.id else { throw SimulatorError("\(person.name) has no open view \(id)") }
                blocks = view.blocks
            }
            let all = ElementLookup.all(in: blocks)
            let match = all.first { ElementLookup.label($0) == label } ?? all.first { $0.element["action_id"]?.string == label }
            guard let match, let actionID = match.element["action_id"]?.string else {
                throw SimulatorError("no element \"\(label)\" there; available: \(all.map(ElementLookup.label).joined(separator: ", "))")
            }
            return LabelledElement(
                actionID: actionID, blockID: match.blockID, type: match.element["type"]?.string ?? "", value: match.element["value"]?.string,
                options: ElementLookup.options(of: match.element).map {
                    LabelledElement.Option(value: $0["value"]?.string ?? "", text: $0["text"]?["text"]?.string ?? "")
                })
        }
    }
}
