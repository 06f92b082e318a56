import CasebookKit

extension CasesPlugin {
    /// The `cases` section of `plugins.yaml`. Every key but `notifications_channel` has a default, so
    /// the key names of the Case app's environment variables can be reused as they are:
    ///
    /// ```yaml
    /// cases:
    ///   enabled: true
    ///   config:
    ///     notifications_channel: ${ISSUES_CHANNEL_ID}
    ///     response_group: ${INCIDENT_RESPONSE_GROUP_ID:-}
    ///     export_authorized_users: ${EXPORT_AUTHORIZED_USERS:-}
    ///     allowed_workspaces: ${ALLOWED_WORKSPACE_IDS:-}
    /// ```
    public struct Configuration: Decodable, Sendable, Equatable {
        /// Where every case is announced (a channel id; the bot posts there with `chat:write.public`).
        public var notificationsChannel: String
        /// A user group (`S…`) invited to the channel when a case is escalated; nil for none.
        public var responseGroup: String?
        /// Who may export; empty means workspace admins and owners only. Guests and people from
        /// other organisations never may.
        public var exportAuthorizedUsers: [String]
        /// Workspaces (`T…`) this plugin answers in; empty means any.
        public var allowedWorkspaces: [String]
        public var channelPrefix: String
        /// Characters of the description kept in the channel name. 11 reproduces the Case app's
        /// `case-api-respons-a3f` for "API response times increasing".
        public var slugLength: Int
        /// The callback id of the Collect Evidence message shortcut.
        public var evidenceShortcut: String
        /// A reaction that opens an investigation on the message it is added to; nil (the default) for off.
        public var reactToOpen: ReactToOpen?
        /// The case channel's topic as a template (`WarRoom/ChannelTopic.swift`); nil keeps the title.
        public var topic: ChannelTopic? = nil
        /// Links added as bookmarks to every case channel when it opens.
        public var bookmarks: [ChannelBookmark] = []
        /// A user group (`S…`) invited when a case opens, not only at escalation; nil for none.
        public var inviteOnOpen: String? = nil
        /// The app's Home tab (`home_tab: true`): open cases, the user's own, and "Start a case".
        public var homeTab = false
        /// Whether `/case open --private` (and the Start modal's "Private" box) may open a case in
        /// a private channel; off by default, and only then are the `groups:*` scopes requested.
        public var allowPrivate: Bool = false

        public static let defaultChannelPrefix = "case"
        public static let defaultSlugLength = 11
        public static let defaultEvidenceShortcut = "collect_evidence"

        public init(
            notificationsChannel: String, responseGroup: String? = nil, exportAuthorizedUsers: [String] = [],
            allowedWorkspaces: [String] = [], channelPrefix: String = Configuration.defaultChannelPrefix,
            slugLength: Int = Configuration.defaultSlugLength, evidenceShortcut: String = Configuration.defaultEvidenceShortcut,
            reactToOpen: ReactToOpen? = nil
        ) {
            self.notificationsChannel = notificationsChannel
            self.responseGroup = responseGroup
            self.exportAuthorizedUsers = exportAuthorizedUsers
            self.allowedWorkspaces = allowedWorkspaces
            self.channelPrefix = channelPrefix
            self.slugLength = slugLength
            self.evidenceShortcut = evidenceShortcut
            self.reactToOpen = reactToOpen
        }

        enum CodingKeys: String, CodingKey {
            case notificationsChannel = "notifications_channel"
            case responseGroup = "response_group"
            case exportAuthorizedUsers = "export_authorized_users"
            case allowedWorkspaces = "allowed_workspaces"
            case channelPrefix = "channel_prefix"
            case slugLength = "slug_length"
            case evidenceShortcut = "evidence_shortcut"
            case reactToOpen = "react_to_open"
            case topic, bookmarks
            case inviteOnOpen = "invite_on_open"
            case homeTab = "home_tab"
            case allowPrivate = "allow_private"
        }

        /// Hand-written because synthesized `Decodable` ignores property defaults.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let channel = try container.decode(String.self, forKey: .notificationsChannel).trimmingCharacters(in: .whitespaces)
            guard !channel.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .notificationsChannel, in: container,
                    debugDescription: "is empty; set it to the channel id where cases are announced (ISSUES_CHANNEL_ID)")
            }
            notificationsChannel = channel
            let group = try container.decodeIfPresent(String.self, forKey: .responseGroup)?.trimmingCharacters(in: .whitespaces)
            responseGroup = (group?.isEmpty ?? true) ? nil : group
            exportAuthorizedUsers = try Self.decodeList(container, .exportAuthorizedUsers)
            allowedWorkspaces = try Self.decodeList(container, .allowedWorkspaces)
            let prefix = try container.decodeIfPresent(String.self, forKey: .channelPrefix) ?? Self.defaultChannelPrefix
            guard prefix.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }),
                  prefix.count <= 40
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .channelPrefix, in: container,
                    debugDescription: "'\(prefix)' is not a valid start of a Slack channel name (lowercase letters, digits, - and _, at most 40)")
            }
            channelPrefix = prefix
            let length = try container.decodeIfPresent(Int.self, forKey: .slugLength) ?? Self.defaultSlugLength
            guard (1...60).contains(length) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .slugLength, in: container, debugDescription: "must be between 1 and 60, found \(length)")
            }
            slugLength = length
            evidenceShortcut = try container.decodeIfPresent(String.self, forKey: .evidenceShortcut) ?? Self.defaultEvidenceShortcut
            reactToOpen = try container.decodeIfPresent(ReactToOpen.self, forKey: .reactToOpen).flatMap { $0.emoji.isEmpty ? nil : $0 }
            topic = try Self.decodeTopic(container)
            bookmarks = try Self.decodeBookmarks(container)
            inviteOnOpen = try Self.decodeInviteOnOpen(container)
            homeTab = try container.decodeIfPresent(Bool.self, forKey: .homeTab) ?? false
            allowPrivate = try container.decodeIfPresent(Bool.self, forKey: .allowPrivate) ?? false
        }

        /// A comma-separated string (the Case app's environment variables) or a YAML list.
        static func decodeList(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String] {
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return [] }
            if let list = try? container.decode([String].self, forKey: key) {
                return list.flatMap(Self.splitList)
            }
            return Self.splitList(try container.decode(String.self, forKey: key))
        }

        static func splitList(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// Whether `user` may run `/case export`: never a guest or an external user; with the list
        /// empty only an admin or owner (an export holds every case ever opened).
        public func mayExport(_ user: SlackUser, installationTeam: String) -> Bool {
            guard !user.isGuest, user.isMember(of: installationTeam) else { return false }
            return exportAuthorizedUsers.isEmpty ? user.isAdmin : exportAuthorizedUsers.contains(user.id)
        }

        /// Whether this plugin answers in `team`.
        public func allowsWorkspace(_ team: String) -> Bool {
            allowedWorkspaces.isEmpty || allowedWorkspaces.contains(team)
        }

        var channelName: ChannelName { ChannelName(prefix: channelPrefix, slugLength: slugLength) }
    }
}
