import CasebookKit

/// One entry of the `bookmarks` setting: a link added to the header of every case channel when it
/// opens (the incident guide, the postmortem process). A `url` that is empty — an unset
/// `${INCIDENT_GUIDE_LINK:-}` — leaves that bookmark out, so the shipped file works without it.
public struct ChannelBookmark: Sendable, Equatable, Codable {
    public var title: String
    public var url: String

    /// Slack's limits for `bookmarks.add`.
    static let maximumTitleLength = 256
    static let maximumURLLength = 2048

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// `bookmarks`: a list of `{title, url}`; the entries whose url is empty are dropped.
public enum ConfiguredBookmarks: ConfigurationReader {
    public static func read(from decoder: any Decoder) throws -> [ChannelBookmark] {
        try [ConfiguredBookmark](from: decoder).compactMap(\.bookmark)
    }
}

extension CasesPlugin.Configuration {
    /// `invite_on_open`: a user group id (`S…`); absent or empty for none.
    func validateInviteOnOpen() throws {
        guard let group = inviteOnOpen else { return }
        guard group.count >= 3, group.hasPrefix("S"), group.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
            throw ConfigurationError(
                "inviteOnOpen", "must be a user group id (S…, from the group's profile: ⋯ → Copy group ID), found '\(group)'")
        }
    }

    /// Scopes only the war-room settings in use need.
    var furnitureScopes: Set<String> {
        bookmarks.isEmpty ? [] : ["bookmarks:write"]  // bookmarks.add
    }
}

/// A bookmark as written in `plugins.yaml`, checked where it stands so a problem names its line.
private struct ConfiguredBookmark: Decodable {
    var bookmark: ChannelBookmark?

    enum CodingKeys: String, CodingKey { case title, url }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let title = try container.decode(String.self, forKey: .title).trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty, title.count <= ChannelBookmark.maximumTitleLength else {
            throw DecodingError.dataCorruptedError(
                forKey: .title, in: container, debugDescription: "must be 1 to \(ChannelBookmark.maximumTitleLength) characters")
        }
        let url = try container.decodeLink(forKey: .url)
        if let url, url.count > ChannelBookmark.maximumURLLength {
            throw DecodingError.dataCorruptedError(
                forKey: .url, in: container, debugDescription: "is longer than Slack's \(ChannelBookmark.maximumURLLength) characters")
        }
        bookmark = url.map { ChannelBookmark(title: title, url: $0) }
    }
}
