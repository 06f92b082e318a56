import CasebookKit

/// The one rule for what a private case shows outside its channel. Broadcast places that anyone in
/// the workspace may read (the notifications channel, the roles plugin's digest channel and its
/// stale-incident list, modals listing cases to anyone) call a private case "a private case" and do
/// not link its channel, whose name carries words of the title; its own channel, and the people in
/// it, see everything.
extension Case {
    /// What broadcast places say instead of a private case's title.
    public static let privateTitle = "a private case"

    /// The title for places anyone may read: ``privateTitle`` for a private case.
    public var publicTitle: String { isPrivate ? Self.privateTitle : title }

    /// The channel mention for places anyone may read: none (a lock) for a private case.
    public var publicChannel: String { isPrivate ? "🔒" : SlackText.channel(channelID) }

    /// The title as someone sees it who is (`isMember`) or is not in the case's channel.
    public func visibleTitle(toMember isMember: Bool) -> String { isMember ? title : publicTitle }

    /// The channel mention as someone sees it who is or is not in the case's channel.
    public func visibleChannel(toMember isMember: Bool) -> String { isMember ? SlackText.channel(channelID) : publicChannel }
}
