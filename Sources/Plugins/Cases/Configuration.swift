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
    public struct Configuration: PluginConfiguration, Equatable {
        /// Where every case is announced (a channel id; the bot posts there with `chat:write.public`).
        @Required public var notificationsChannel: String
        /// A user group (`S…`) invited to the channel when a case is escalated; nil for none.
        public var responseGroup: String?
        /// Who may export; empty means workspace admins and owners only. Guests and people from
        /// other organisations never may.
        @CommaList public var exportAuthorizedUsers: [String] = []
        /// Workspaces (`T…`) this plugin answers in; empty means any.
        @CommaList public var allowedWorkspaces: [String] = []
        public var channelPrefix = Configuration.defaultChannelPrefix
        /// Characters of the description kept in the channel name. 11 reproduces the Case app's
        /// `case-api-respons-a3f` for "API response times increasing".
        public var slugLength = Configuration.defaultSlugLength
        /// The callback id of the Collect Evidence message shortcut.
        public var evidenceShortcut = Configuration.defaultEvidenceShortcut
        /// A reaction that opens an investigation on the message it is added to; nil (the default) for off.
        public var reactToOpen: ReactToOpen?
        /// The case channel's topic as a template (`WarRoom/ChannelTopic.swift`); nil keeps the title.
        public var topic: ChannelTopic? = nil
        /// Links added as bookmarks to every case channel when it opens.
        @ReadWith<ConfiguredBookmarks> public var bookmarks: [ChannelBookmark] = []
        /// A user group (`S…`) invited when a case opens, not only at escalation; nil for none.
        public var inviteOnOpen: String? = nil
        /// The app's Home tab (`home_tab: true`): open cases, the user's own, and "Start a case".
        public var homeTab = false
        /// Whether `/case open --private` (and the Start modal's "Private" box) may open a case in
        /// a private channel; off by default, and only then are the `groups:*` scopes requested.
        public var allowPrivate = false

        public static let defaultChannelPrefix = "case"
        public static let defaultSlugLength = 11
        public static let defaultEvidenceShortcut = "collect_evidence"
        public static let defaults = Configuration(notificationsChannel: "")

        public mutating func validate() throws {
            guard !notificationsChannel.isEmpty else {
                throw ConfigurationError(
                    "notificationsChannel", "is empty; set it to the channel id where cases are announced (ISSUES_CHANNEL_ID)")
            }
            guard channelPrefix.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }),
                  channelPrefix.count <= 40
            else {
                throw ConfigurationError(
                    "channelPrefix",
                    "'\(channelPrefix)' is not a valid start of a Slack channel name (lowercase letters, digits, - and _, at most 40)")
            }
            guard (1...60).contains(slugLength) else {
                throw ConfigurationError("slugLength", "must be between 1 and 60, found \(slugLength)")
            }
            if reactToOpen?.emoji.isEmpty == true {
                reactToOpen = nil
            }
            try validateInviteOnOpen()
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
