public import CasebookKit
import Foundation

/// Where a clicked element lives.
public enum ActionContainer: Sendable, Equatable {
    case message(channel: String, ts: String)
    case view(id: String)
}

/// A person using Slack: each builder returns the payload Slack would send for the action
/// (reference/slack.md §2.5, §3; shapes checked against java-slack-sdk's app-backend samples),
/// with a fresh `trigger_id` and, where Slack gives one, a `response_url` on this simulator.
/// Deliver the payload with ``SlackSimulator/deliver(_:timeout:)`` (Socket Mode) or
/// ``SlackSimulator/postSigned(to:_:payload:secret:timestamp:retryNum:retryReason:tamper:timeout:)`` (HTTP mode).
/// Builders throw ``SimulatorError`` for actions a real user could not take.
extension SlackSimulator {
    /// `/command text` typed by `user` in `channel` (ids or names).
    public func slashCommand(user: String, channel: String, command: String, text: String = "") throws -> JSONValue {
        let now = clock.now()
        let base = baseURL
        return try store.withState { state in
            let person = try Self.person(state, user)
            let conversation = try Self.conversation(state, channel)
            if conversation.isArchived { throw SimulatorError("#\(conversation.name) is archived; Slack does not run commands there") }
            let trigger = state.issueTrigger(for: person.id, now: now)
            let response = state.issueResponseTarget(channel: conversation.id, user: person.id, messageTS: nil, ephemeral: false, now: now)
            return [
                "token": "sim-verification-token", "team_id": .string(state.teamID), "team_domain": .string(state.workspace.teamDomain),
                "channel_id": .string(conversation.id), "channel_name": .string(conversation.isIM ? "directmessage" : conversation.name),
                "user_id": .string(person.id), "user_name": .string(person.name), "command": .string(command), "text": .string(text),
                "api_app_id": .string(state.workspace.appID), "is_enterprise_install": false,
                "response_url": .string("\(base)/response/\(response)"), "trigger_id": .string(trigger),
            ]
        }
    }

    /// A message shortcut on a stored message. Like real Slack, the payload carries the message's
    /// full text and blocks.
    public func messageShortcut(user: String, channel: String, messageTS: String, callbackID: String) throws -> JSONValue {
        let now = clock.now()
        let base = baseURL
        return try store.withState { state in
            let person = try Self.person(state, user)
            let conversation = try Self.conversation(state, channel)
            guard let message = state.message(channel: conversation.id, ts: messageTS) else {
                throw SimulatorError("no message \(messageTS) in \(conversation.id)")
            }
            let trigger = state.issueTrigger(for: person.id, now: now)
            let response = state.issueResponseTarget(channel: conversation.id, user: person.id, messageTS: messageTS, ephemeral: false, now: now)
            var payload = Self.common(state, type: "message_action", user: person)
            payload["callback_id"] = .string(callbackID)
            payload["trigger_id"] = .string(trigger)
            payload["action_ts"] = .string(Self.actionTS(now))
            payload["message_ts"] = .string(messageTS)
            payload["message"] = message.json(team: state.teamID)
            payload["channel"] = ["id": .string(conversation.id), "name": .string(conversation.isIM ? "directmessage" : conversation.name)]
            payload["response_url"] = .string("\(base)/response/\(response)")
            return .object(payload)
        }
    }

    /// A global shortcut (no channel, no message, no response_url).
    public func globalShortcut(user: String, callbackID: String) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            var payload = Self.common(state, type: "shortcut", user: person)
            payload["callback_id"] = .string(callbackID)
            payload["trigger_id"] = .string(state.issueTrigger(for: person.id, now: now))
            payload["action_ts"] = .string(Self.actionTS(now))
            return .object(payload)
        }
    }

    /// A click or choice on an element of a stored message or open view. The element is looked
    /// up by `actionID` (and `blockID` if given); a button sends its own `value`, a static select
    /// needs `selectedOption` (an option value), a users select needs `selectedUser`; for a checkbox
    /// group `selectedOption` is the box clicked, which toggles from its `initial_options` state.
    public func blockAction(
        user: String, in container: ActionContainer, actionID: String, blockID: String? = nil, value: String? = nil,
        selectedOption: String? = nil, selectedUser: String? = nil
    ) throws -> JSONValue {
        let now = clock.now()
        let base = baseURL
        return try store.withState { state in
            let person = try Self.person(state, user)
            var payload = Self.common(state, type: "block_actions", user: person)
            let blocks: [JSONValue]
            switch container {
            case .message(let channel, let ts):
                let conversation = try Self.conversation(state, channel)
                let ephemeral = state.ephemerals.first { $0.channel == conversation.id && $0.ts == ts && $0.user == person.id }
                let stored = state.message(channel: conversation.id, ts: ts)
                guard ephemeral != nil || stored != nil else { throw SimulatorError("no message \(ts) in \(conversation.id)") }
                blocks = stored?.blocks ?? ephemeral?.blocks ?? []
                let response = state.issueResponseTarget(channel: conversation.id, user: person.id, messageTS: ts, ephemeral: stored == nil, now: now)
                payload["container"] = [
                    "type": "message", "message_ts": .string(ts), "channel_id": .string(conversation.id), "is_ephemeral": .bool(stored == nil),
                ]
                payload["channel"] = ["id": .string(conversation.id), "name": .string(conversation.isIM ? "directmessage" : conversation.name)]
                if let stored { payload["message"] = stored.json(team: state.teamID) }
                payload["state"] = ["values": [:]]
                payload["response_url"] = .string("\(base)/response/\(response)")
            case .view(let id):
                guard let view = state.views[id], view.user == person.id else { throw SimulatorError("\(person.name) has no open view \(id)") }
                blocks = view.blocks
                payload["container"] = ["type": "view", "view_id": .string(id)]
            }
            guard let found = ElementLookup.find(actionID: actionID, blockID: blockID, in: blocks) else {
                let available = ElementLookup.all(in: blocks).compactMap { $0.element["action_id"]?.string }
                if let blockID, available.contains(actionID) {
                    throw SimulatorError("block \"\(blockID)\" is no longer there: the message changed since it was shown (:show numbers it again)")
                }
                throw SimulatorError("no element with action_id \"\(actionID)\" there; available: \(available.joined(separator: ", "))")
            }
            var action = try Self.actionValue(state, found.element, value: value, selectedOption: selectedOption, selectedUser: selectedUser)
            action["action_id"] = .string(actionID)
            action["block_id"] = found.blockID.map(JSONValue.string) ?? .null
            action["action_ts"] = .string(Self.actionTS(now))
            if case .view(let id) = container, let blockID = found.blockID, found.inputLabel != nil {
                var leaf = action
                for key in ["action_id", "block_id", "action_ts"] { leaf[key] = nil }
                state.views[id]?.values[blockID, default: [:]][actionID] = .object(leaf)
            }
            if case .view(let id) = container { payload["view"] = ViewsAPI.viewJSON(state, id) }
            payload["actions"] = [.object(action)]
            payload["trigger_id"] = .string(state.issueTrigger(for: person.id, now: now))
            return .object(payload)
        }
    }

    /// A click on element `number` of the last rendering (``rendering(channel:viewer:)`` or
    /// ``renderingOfModal(for:)``); `choice` is an option value, text or 1-based index for selects,
    /// or a user for users selects.
    public func click(_ number: Int, user: String, choice: String? = nil) throws -> JSONValue {
        guard let element = element(number) else { throw SimulatorError("no element [\(number)] in the last rendering") }
        let container: ActionContainer
        switch element.location {
        case .message(let channel, let ts): container = .message(channel: channel, ts: ts)
        case .view(let id): container = .view(id: id)
        }
        var option: String?
        var selectedUser: String?
        if let choice {
            if element.type.hasSuffix("users_select") {
                selectedUser = self.user(choice)?.id ?? choice
            } else if let index = Int(choice), element.options.indices.contains(index - 1) {
                option = element.options[index - 1].value
            } else {
                option = element.options.first { $0.value == choice || $0.text.lowercased() == choice.lowercased() }?.value ?? choice
            }
        }
        return try blockAction(
            user: user, in: container, actionID: element.actionID, blockID: element.blockID, value: choice,
            selectedOption: option, selectedUser: selectedUser)
    }

    /// Submits `user`'s view (the top of their stack when `viewID` is nil) with input values
    /// `[blockID: [actionID: value]]`: text for text inputs, an option value for selects, a user id
    /// for users selects (comma-separated for multi selects), `YYYY-MM-DD` for date pickers.
    /// Inputs not given keep the value the user chose earlier or else the element's `initial_…`
    /// value, as in Slack. Required inputs left empty fail, as Slack's client would not submit.
    public func viewSubmission(user: String, viewID: String? = nil, values: [String: [String: String]] = [:]) throws -> JSONValue {
        let now = clock.now()
        return try store.withState { state in
            let person = try Self.person(state, user)
            guard let id = viewID ?? state.viewStacks[person.id]?.last, let view = state.views[id], view.user == person.id else {
                throw SimulatorError("\(person.name) has no open modal\(viewID.map { " \($0)" } ?? "")")
            }
            let inputs = ElementLookup.all(in: view.blocks).filter { $0.inputLabel != nil }
            for (blockID, actions) in values {
                for actionID in actions.keys where !inputs.contains(where: { $0.blockID == blockID && $0.element["action_id"]?.string == actionID }) {
                    let known = inputs.map { "\($0.blockID ?? "?")/\($0.element["action_id"]?.string ?? "?")" }
                    throw SimulatorError("view \(id) has no input \(blockID)/\(actionID); inputs: \(known.joined(separator: ", "))")
                }
            }
            var stateValues = view.values
            for input in inputs {
                guard let blockID = input.blockID, let actionID = input.element["action_id"]?.string else { continue }
                let given = values[blockID]?[actionID]
                if given == nil, let existing = view.values[blockID]?[actionID] {
                    stateValues[blockID, default: [:]][actionID] = existing
                    continue
                }
                // Untouched, an element submits what it was opened with (`initial_option`, …), as in Slack.
                if given == nil, let initial = Self.initialValue(of: input.element) {
                    stateValues[blockID, default: [:]][actionID] = .object(initial)
                    continue
                }
                let text = given ?? ""
                if text.isEmpty && !input.optional {
                    throw SimulatorError("required input \"\(input.inputLabel ?? blockID)\" (\(blockID)/\(actionID)) is empty")
                }
                stateValues[blockID, default: [:]][actionID] = .object(try Self.inputValue(state, input.element, text: text))
            }
            state.views[id]?.values = stateValues
            state.views[id]?.errors = [:]
            var payload = Self.common(state, type: "view_submission", user: person)
            payload["trigger_id"] = .string(state.issueTrigger(for: person.id, now: now))
            payload["view"] = ViewsAPI.viewJSON(state, id)
            payload["response_urls"] = []
            return .object(payload)
        }
    }

    /// The user closes their top modal (or `viewID`). Returns the `view_closed` payload when the
    /// view was opened with `notify_on_close` (otherwise Slack sends nothing and this returns nil).
    public func viewClosed(user: String, viewID: String? = nil, isCleared: Bool = false) throws -> JSONValue? {
        try store.withState { state in
            let person = try Self.person(state, user)
            guard let id = viewID ?? state.viewStacks[person.id]?.last, let view = state.views[id], view.user == person.id else {
                throw SimulatorError("\(person.name) has no open modal")
            }
            var payload = Self.common(state, type: "view_closed", user: person)
            payload["view"] = ViewsAPI.viewJSON(state, id)
            payload["is_cleared"] = .bool(isCleared)
            state.closeViews(user: person.id, all: isCleared, viewID: id)
            return view.notifyOnClose ? .object(payload) : nil
        }
    }

    /// A person posts a message (humans' messages are never sent to the app: Casebook does not
    /// subscribe to message events). Returns the message ts.
    @discardableResult
    public func postAsUser(_ user: String, channel: String, text: String, threadTS: String? = nil) throws -> String {
        let now = clock.now()
        return try store.withState { state in
            let (person, conversation) = try Self.activeMember(state, user, of: channel)
            let ts = state.nextTS(now)
            state.append(StoredMessage(channel: conversation.id, ts: ts, user: person.id, text: text, threadTS: threadTS))
            return ts
        }
    }

    // MARK: Helpers

    static func person(_ state: WorkspaceState, _ reference: String) throws -> SimulatedUser {
        guard let user = state.user(reference) else { throw SimulatorError("no user \(reference)") }
        return user
    }

    static func conversation(_ state: WorkspaceState, _ reference: String) throws -> Conversation {
        if let user = state.user(reference), let dm = state.conversations.values.first(where: { $0.isIM && $0.imUser == user.id }) {
            return dm
        }
        guard let conversation = state.conversation(reference) else { throw SimulatorError("no channel \(reference)") }
        return conversation
    }

    static func actionTS(_ now: Date) -> String { String(format: "%.6f", now.timeIntervalSince1970) }

    /// Fields every interactivity payload has.
    static func common(_ state: WorkspaceState, type: String, user: SimulatedUser) -> [String: JSONValue] {
        [
            "type": .string(type), "token": "sim-verification-token", "api_app_id": .string(state.workspace.appID),
            "team": ["id": .string(state.teamID), "domain": .string(state.workspace.teamDomain)],
            "user": ["id": .string(user.id), "username": .string(user.name), "name": .string(user.name), "team_id": .string(user.teamID)],
            "enterprise": .null, "is_enterprise_install": false,
        ]
    }

    /// The value part of an `actions[]` entry for an element.
    static func actionValue(_ state: WorkspaceState, _ element: JSONValue, value: String?, selectedOption: String?, selectedUser: String?) throws -> [String: JSONValue] {
        let type = element["type"]?.string ?? ""
        var action: [String: JSONValue] = ["type": .string(type)]
        switch type {
        case "button":
            action["text"] = element["text"] ?? .null
            if let own = element["value"] { action["value"] = own }
            if let style = element["style"] { action["style"] = style }
            if let confirm = element["confirm"] { action["confirm"] = confirm }
            if let url = element["url"] { action["url"] = url }
        case "static_select", "overflow", "radio_buttons":
            guard let wanted = selectedOption ?? value else { throw SimulatorError("\(type) needs selectedOption (one of: \(optionValues(element)))") }
            guard let option = ElementLookup.options(of: element).first(where: { $0["value"]?.string == wanted }) else {
                throw SimulatorError("no option \"\(wanted)\"; options: \(optionValues(element))")
            }
            action["selected_option"] = option
            if let placeholder = element["placeholder"] { action["placeholder"] = placeholder }
        case "checkboxes":
            // A click ticks or unticks one box; Slack sends every box of the group ticked after it.
            guard let wanted = selectedOption ?? value else { throw SimulatorError("checkboxes need selectedOption (one of: \(optionValues(element)))") }
            let options = ElementLookup.options(of: element)
            guard options.contains(where: { $0["value"]?.string == wanted }) else {
                throw SimulatorError("no option \"\(wanted)\"; options: \(optionValues(element))")
            }
            let ticked = Set((element["initial_options"]?.array ?? []).compactMap { $0["value"]?.string })
            let after = ticked.contains(wanted) ? ticked.subtracting([wanted]) : ticked.union([wanted])
            action["selected_options"] = .array(options.filter { after.contains($0["value"]?.string ?? "") })
        case "users_select":
            guard let user = selectedUser ?? value, state.users[user] != nil else { throw SimulatorError("users_select needs selectedUser (a user id)") }
            action["selected_user"] = .string(user)
        case "multi_users_select":
            let users = (selectedUser ?? value ?? "").split(separator: ",").map(String.init)
            action["selected_users"] = .array(users.map(JSONValue.string))
        case "conversations_select":
            action["selected_conversation"] = .string(value ?? "")
        case "channels_select":
            action["selected_channel"] = .string(value ?? "")
        case "datepicker":
            action["selected_date"] = .string(value ?? "")
        case "plain_text_input":
            action["value"] = .string(value ?? "")
        default:
            if let value { action["value"] = .string(value) }
        }
        return action
    }

    /// The `state.values` leaf of an input element for submitted text.
    static func inputValue(_ state: WorkspaceState, _ element: JSONValue, text: String) throws -> [String: JSONValue] {
        let type = element["type"]?.string ?? ""
        var leaf: [String: JSONValue] = ["type": .string(type)]
        switch type {
        case "static_select", "radio_buttons":
            if text.isEmpty {
                leaf["selected_option"] = .null
            } else {
                guard let option = ElementLookup.options(of: element).first(where: { $0["value"]?.string == text }) else {
                    throw SimulatorError("no option \"\(text)\"; options: \(optionValues(element))")
                }
                leaf["selected_option"] = option
            }
        case "multi_static_select", "checkboxes":
            let wanted = text.split(separator: ",").map(String.init)
            leaf["selected_options"] = .array(ElementLookup.options(of: element).filter { wanted.contains($0["value"]?.string ?? "") })
        case "users_select":
            if !text.isEmpty && state.users[text] == nil { throw SimulatorError("no user \(text)") }
            leaf["selected_user"] = text.isEmpty ? .null : .string(text)
        case "multi_users_select":
            leaf["selected_users"] = .array(text.split(separator: ",").map { .string(String($0)) })
        case "conversations_select":
            leaf["selected_conversation"] = text.isEmpty ? .null : .string(text)
        case "channels_select":
            leaf["selected_channel"] = text.isEmpty ? .null : .string(text)
        case "datepicker":
            leaf["selected_date"] = text.isEmpty ? .null : .string(text)
        default:
            leaf["value"] = text.isEmpty ? .null : .string(text)
        }
        return leaf
    }

    /// The `state.values` leaf of an element nobody touched, from its `initial_…` field; nil when
    /// it has none (it is then submitted empty).
    static func initialValue(of element: JSONValue) -> [String: JSONValue]? {
        let type = element["type"]?.string ?? ""
        let field: (initial: String, submitted: String)?
        switch type {
        case "static_select", "radio_buttons", "external_select": field = ("initial_option", "selected_option")
        case "multi_static_select", "checkboxes", "multi_external_select": field = ("initial_options", "selected_options")
        case "users_select": field = ("initial_user", "selected_user")
        case "multi_users_select": field = ("initial_users", "selected_users")
        case "conversations_select": field = ("initial_conversation", "selected_conversation")
        case "multi_conversations_select": field = ("initial_conversations", "selected_conversations")
        case "channels_select": field = ("initial_channel", "selected_channel")
        case "multi_channels_select": field = ("initial_channels", "selected_channels")
        case "datepicker": field = ("initial_date", "selected_date")
        case "timepicker": field = ("initial_time", "selected_time")
        case "plain_text_input", "number_input", "email_text_input", "url_text_input": field = ("initial_value", "value")
        default: field = nil
        }
        guard let field, let initial = element[field.initial], !initial.isNull else { return nil }
        return ["type": .string(type), field.submitted: initial]
    }

    static func optionValues(_ element: JSONValue) -> String {
        ElementLookup.options(of: element).compactMap { $0["value"]?.string }.joined(separator: ", ")
    }
}
