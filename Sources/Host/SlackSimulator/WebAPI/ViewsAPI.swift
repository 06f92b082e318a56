import CasebookKit
import Foundation

/// `views.open` / `push` / `update` / `publish`: modals opened with trigger ids the simulator issued.
enum ViewsAPI {
    static let handlers: [String: MethodHandler] = [
        "views.open": open, "views.push": push, "views.update": update, "views.publish": publish,
    ]

    /// How long a trigger id stays valid (reference/slack.md §3.6).
    static let triggerLifetime: TimeInterval = 3
    /// `views.publish` refuses a view larger than 250 kB (`view_too_large`).
    static let maximumViewBytes = 250_000

    /// Exchanges a trigger id (or `interactivity_pointer`) for the user it was issued to.
    static func exchangeTrigger(_ state: inout WorkspaceState, _ call: APICall) throws -> String {
        guard let id = call.string("trigger_id") ?? call.string("interactivity_pointer") else {
            throw APIError.withMessages("invalid_arguments", ["[ERROR] missing required field: trigger_id"])
        }
        guard let trigger = state.triggers[id] else { throw APIError("invalid_trigger_id") }
        if trigger.used { throw APIError("exchanged_trigger_id") }
        if call.now.timeIntervalSince(trigger.issued) > state.triggerLifetime { throw APIError("expired_trigger_id") }
        state.triggers[id]?.used = true
        return trigger.user
    }

    /// Parses and checks the `view` argument (a JSON string in form bodies).
    static func definition(_ state: WorkspaceState, _ call: APICall, expectedType: String = "modal", excludingView: String? = nil) throws -> JSONValue {
        guard let view = try call.json("view", invalid: "invalid_arguments") else {
            throw APIError.withMessages("invalid_arguments", ["[ERROR] missing required field: view"])
        }
        var messages: [String] = []
        for field in ["type", "title", "blocks"] where view[field] == nil && !(field == "title" && expectedType == "home") {
            messages.append("[ERROR] missing required field: \(field) [json-pointer:/view]")
        }
        if let type = view["type"]?.string, type != expectedType {
            messages.append("[ERROR] must be \(expectedType) [json-pointer:/view/type]")
        }
        if let title = view["title"]?["text"]?.string, title.count > 24 {
            messages.append("[ERROR] must be less than 25 characters [json-pointer:/view/title/text]")
        }
        for field in ["submit", "close"] {
            if let text = view[field]?["text"]?.string, text.count > 24 {
                messages.append("[ERROR] must be less than 25 characters [json-pointer:/view/\(field)/text]")
            }
        }
        if (view["private_metadata"]?.string?.count ?? 0) > 3000 {
            messages.append("[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]")
        }
        let blocks = view["blocks"]?.array ?? []
        messages += BlockValidation.problems(blocks, surface: .modal, pointer: "/view/blocks")
        if blocks.contains(where: { $0["type"]?.string == "input" }) && view["submit"] == nil && expectedType == "modal" {
            messages.append("[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]")
        }
        if !messages.isEmpty { throw APIError.withMessages("invalid_arguments", messages) }
        // Views are stored with Slack-assigned block ids (see ``BlockValidation/assignBlockIDs``).
        if let external = view["external_id"]?.string, !external.isEmpty,
           state.views.values.contains(where: { $0.externalID == external && $0.id != excludingView }) {
            throw APIError("duplicate_external_id")
        }
        return view
    }

    static func withBlockIDs(_ definition: JSONValue, _ state: inout WorkspaceState) -> JSONValue {
        guard case .object(var object) = definition, let blocks = object["blocks"]?.array else { return definition }
        object["blocks"] = .array(BlockValidation.assignBlockIDs(blocks, state: &state))
        return .object(object)
    }

    static func newHash(_ state: inout WorkspaceState, _ now: Date) -> String {
        "\(Int(now.timeIntervalSince1970)).\(state.nextSecret(8))"
    }

    static func viewJSON(_ state: WorkspaceState, _ id: String) -> JSONValue {
        state.views[id]?.json(team: state.teamID, appID: state.workspace.appID, botID: state.workspace.botID) ?? .null
    }

    static func open(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        var view = try definition(state, call)
        let user = try exchangeTrigger(&state, call)
        view = withBlockIDs(view, &state)
        for old in state.viewStacks[user] ?? [] { state.views[old].map { state.closedViews.append($0) }; state.views[old] = nil }
        let id = state.nextID("V")
        state.views[id] = StoredView(id: id, user: user, hash: newHash(&state, call.now), definition: view, rootViewID: nil, previousViewID: nil)
        state.viewStacks[user] = [id]
        return ["view": viewJSON(state, id)]
    }

    static func push(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let view = try definition(state, call)
        // At most two views above the root (reference/slack.md §5.2); the trigger is not consumed.
        if let id = call.string("trigger_id") ?? call.string("interactivity_pointer"), let trigger = state.triggers[id],
           (state.viewStacks[trigger.user]?.count ?? 0) >= 3 {
            throw APIError("push_limit_reached")
        }
        let user = try exchangeTrigger(&state, call)
        return ["view": viewJSON(state, pushView(&state, user: user, definition: view, now: call.now))]
    }

    /// Pushes onto the user's stack (or opens a root when none is open); returns the new view id.
    static func pushView(_ state: inout WorkspaceState, user: String, definition: JSONValue, now: Date) -> String {
        let stack = state.viewStacks[user] ?? []
        let definition = withBlockIDs(definition, &state)
        let id = state.nextID("V")
        state.views[id] = StoredView(
            id: id, user: user, hash: newHash(&state, now), definition: definition, rootViewID: stack.first, previousViewID: stack.last)
        state.viewStacks[user, default: []].append(id)
        return id
    }

    static func update(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        let target: StoredView?
        if let id = call.string("view_id"), !id.isEmpty {
            target = state.views[id]
        } else if let external = call.string("external_id"), !external.isEmpty {
            target = state.views.values.first { $0.externalID == external }
        } else {
            throw APIError.withMessages("invalid_arguments", ["[ERROR] missing required field: view_id"])
        }
        guard let existing = target else { throw APIError("not_found") }
        let view = try definition(state, call, expectedType: existing.type, excludingView: existing.id)
        if let hash = call.string("hash"), !hash.isEmpty, hash != existing.hash { throw APIError("hash_conflict") }
        let hash = newHash(&state, call.now)
        let withIDs = withBlockIDs(view, &state)
        state.views[existing.id]?.replace(with: withIDs, hash: hash)
        return ["view": viewJSON(state, existing.id)]
    }

    static func publish(_ state: inout WorkspaceState, _ call: APICall) throws -> [String: JSONValue] {
        guard let user = call.string("user_id"), state.users[user] != nil else { throw APIError("user_not_found") }
        let definition = try definition(state, call, expectedType: "home")
        if state.homeTabEnabled == false { throw APIError("not_enabled") }
        if definition.encoded().utf8.count > maximumViewBytes { throw APIError("view_too_large") }
        let view = withBlockIDs(definition, &state)
        let hash = newHash(&state, call.now)
        if let existing = state.homeViews[user] {
            if let expected = call.string("hash"), !expected.isEmpty, expected != state.views[existing]?.hash { throw APIError("hash_conflict") }
            state.views[existing]?.replace(with: view, hash: hash)
            return ["view": viewJSON(state, existing)]
        }
        let id = state.nextID("V")
        state.views[id] = StoredView(id: id, user: user, hash: hash, definition: view, rootViewID: nil, previousViewID: nil)
        state.homeViews[user] = id
        return ["view": viewJSON(state, id)]
    }
}
