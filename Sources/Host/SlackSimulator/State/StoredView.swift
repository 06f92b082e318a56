public import CasebookKit
import Foundation

/// A modal (or Home tab) the app opened, with the values the simulated user typed so far.
public struct StoredView: Sendable, Equatable {
    public var id: String
    /// The user who sees the view.
    public var user: String
    public var type: String
    public var callbackID: String
    public var privateMetadata: String
    public var externalID: String
    public var hash: String
    public var title: JSONValue
    public var submit: JSONValue?
    public var close: JSONValue?
    public var blocks: [JSONValue]
    public var notifyOnClose: Bool
    public var clearOnClose: Bool
    public var rootViewID: String
    public var previousViewID: String?
    /// `state.values`: block id → action id → value object.
    public var values: [String: [String: JSONValue]]
    /// Field errors the app answered to the last submission (`response_action: errors`).
    public var errors: [String: String]

    /// Builds a stored view from the `view` argument of `views.open`/`push`/`update`.
    init(id: String, user: String, hash: String, definition: JSONValue, rootViewID: String?, previousViewID: String?) {
        self.id = id
        self.user = user
        self.hash = hash
        self.type = definition["type"]?.string ?? "modal"
        self.callbackID = definition["callback_id"]?.string ?? ""
        self.privateMetadata = definition["private_metadata"]?.string ?? ""
        self.externalID = definition["external_id"]?.string ?? ""
        self.title = definition["title"] ?? ["type": "plain_text", "text": ""]
        self.submit = definition["submit"]
        self.close = definition["close"]
        self.blocks = definition["blocks"]?.array ?? []
        self.notifyOnClose = definition["notify_on_close"]?.bool ?? false
        self.clearOnClose = definition["clear_on_close"]?.bool ?? false
        self.rootViewID = rootViewID ?? id
        self.previousViewID = previousViewID
        self.values = [:]
        self.errors = [:]
    }

    /// Replaces the content (`views.update`, `response_action: update`), keeping id, stack position and user.
    mutating func replace(with definition: JSONValue, hash: String) {
        let replacement = StoredView(id: id, user: user, hash: hash, definition: definition, rootViewID: rootViewID, previousViewID: previousViewID)
        self = replacement
    }

    /// The `view` object Slack returns and embeds in payloads.
    func json(team: String, appID: String, botID: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "team_id": .string(team), "type": .string(type), "blocks": .array(blocks),
            "private_metadata": .string(privateMetadata), "callback_id": .string(callbackID),
            "state": ["values": .object(values.mapValues { .object($0) })], "hash": .string(hash), "title": title,
            "clear_on_close": .bool(clearOnClose), "notify_on_close": .bool(notifyOnClose),
            "root_view_id": .string(rootViewID), "previous_view_id": previousViewID.map(JSONValue.string) ?? .null,
            "app_id": .string(appID), "external_id": .string(externalID), "app_installed_team_id": .string(team),
            "bot_id": .string(botID), "submit_disabled": false,
        ]
        object["submit"] = submit ?? .null
        object["close"] = close ?? .null
        return .object(object)
    }

    var titleText: String { title["text"]?.string ?? "" }
}

/// A file uploaded through the external upload flow.
public struct StoredFile: Sendable, Equatable {
    public var id: String
    public var name: String
    public var title: String
    public var length: Int
    /// The uploaded bytes (nil until the upload URL received them).
    public var data: Data?
    /// Conversations the file was shared into by `files.completeUploadExternal`.
    public var channels: [String]
    public var user: String
    public var created: Int
    public var completed: Bool

    init(id: String, name: String, length: Int, user: String, created: Int) {
        self.id = id
        self.name = name
        self.title = name
        self.length = length
        self.data = nil
        self.channels = []
        self.user = user
        self.created = created
        self.completed = false
    }

    var json: JSONValue {
        [
            "id": .string(id), "name": .string(name), "title": .string(title), "size": .number(Double(data?.count ?? length)),
            "user": .string(user), "created": .number(Double(created)), "channels": .array(channels.map(JSONValue.string)),
        ]
    }
}
