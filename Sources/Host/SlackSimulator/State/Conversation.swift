import CasebookKit
import Foundation

/// A channel, private channel or direct message as the simulator stores it.
public struct Conversation: Sendable, Equatable {
    public enum Kind: String, Sendable { case publicChannel, privateChannel, directMessage }

    /// A topic or purpose with who set it and when (`{value, creator, last_set}`).
    public struct Text: Sendable, Equatable {
        public var value: String
        public var creator: String
        public var lastSet: Int
        public init(value: String = "", creator: String = "", lastSet: Int = 0) {
            self.value = value
            self.creator = creator
            self.lastSet = lastSet
        }
        var json: JSONValue { ["value": .string(value), "creator": .string(creator), "last_set": .number(Double(lastSet))] }
    }

    public var id: String
    public var name: String
    public var kind: Kind
    public var isGeneral: Bool
    public var isArchived: Bool
    public var isExtShared: Bool
    public var created: Int
    public var creator: String
    /// Member user ids in joining order.
    public var members: [String]
    public var topic: Text
    public var purpose: Text
    public var previousNames: [String]
    /// Timestamps of pinned messages, in pinning order.
    public var pins: [String]
    public var bookmarks: [Bookmark]
    /// For a direct message: the other person.
    public var imUser: String?

    public init(
        id: String, name: String, kind: Kind = .publicChannel, isGeneral: Bool = false, isArchived: Bool = false,
        isExtShared: Bool = false, created: Int = 1_700_000_000, creator: String = "", members: [String] = [],
        topic: Text = Text(), purpose: Text = Text(), imUser: String? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.isGeneral = isGeneral
        self.isArchived = isArchived
        self.isExtShared = isExtShared
        self.created = created
        self.creator = creator
        self.members = members
        self.topic = topic
        self.purpose = purpose
        self.previousNames = []
        self.pins = []
        self.bookmarks = []
        self.imUser = imUser
    }

    public var isPrivate: Bool { kind != .publicChannel }
    public var isIM: Bool { kind == .directMessage }

    /// The `conversation` object of `conversations.info` and friends, seen by `viewer`.
    func json(viewer: String, includeMemberCount: Bool = false) -> JSONValue {
        if isIM {
            return [
                "id": .string(id), "created": .number(Double(created)), "is_im": true, "is_org_shared": false,
                "user": .string(imUser ?? ""), "is_archived": .bool(isArchived), "is_open": true,
                "last_read": "0000000000.000000", "priority": 0,
            ]
        }
        var object: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "name_normalized": .string(name),
            "is_channel": .bool(kind == .publicChannel), "is_group": .bool(kind == .privateChannel),
            "is_im": false, "is_mpim": false, "is_private": .bool(isPrivate),
            "created": .number(Double(created)), "creator": .string(creator),
            "is_archived": .bool(isArchived), "is_general": .bool(isGeneral), "unlinked": 0,
            "is_shared": .bool(isExtShared), "is_ext_shared": .bool(isExtShared), "is_org_shared": false,
            "pending_shared": [], "is_pending_ext_shared": false,
            "is_member": .bool(members.contains(viewer)), "is_read_only": false,
            "topic": topic.json, "purpose": purpose.json,
            "previous_names": .array(previousNames.map(JSONValue.string)),
        ]
        if includeMemberCount { object["num_members"] = .number(Double(members.count)) }
        return .object(object)
    }
}

/// A channel bookmark (`bookmarks.add`).
public struct Bookmark: Sendable, Equatable {
    public var id: String
    public var channelID: String
    public var title: String
    public var link: String
    public var type: String
    public var emoji: String?
    public var created: Int

    public init(id: String, channelID: String, title: String, link: String, type: String = "link", emoji: String? = nil, created: Int) {
        self.id = id
        self.channelID = channelID
        self.title = title
        self.link = link
        self.type = type
        self.emoji = emoji
        self.created = created
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id), "channel_id": .string(channelID), "title": .string(title), "link": .string(link),
            "type": .string(type), "date_created": .number(Double(created)), "date_updated": 0, "rank": "U",
            "entity_id": .null, "app_id": .null, "last_updated_by_user_id": "", "last_updated_by_team_id": "",
            "shortcut_id": .null, "icon_url": .null,
        ]
        object["emoji"] = emoji.map(JSONValue.string) ?? .null
        return .object(object)
    }
}
