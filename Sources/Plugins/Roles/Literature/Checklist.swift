import CasebookKit

/// The war-room checklist (literature: `templates/checklist.yaml`): what every incident does, plus
/// extra items for incidents at some severities. Posted as checkboxes, so each item fits a
/// checkbox option (75 characters of mrkdwn) and is unique within what one severity shows.
public struct Checklist: Decodable, Sendable, Equatable {
    /// The items of every incident, in order.
    public var items: [String]
    /// Extra items by severity id, shown after ``items`` while the incident is at that level.
    public var severities: [String: [String]]

    /// Four checkbox groups of 10: the message stays far below Slack's 50 blocks even with items
    /// left over from an earlier severity.
    public static let maximumItems = 40
    /// Slack's limit for the text of a checkbox option, counted after mrkdwn escaping.
    public static let maximumText = 75

    /// The severity ids a team's own file may name, set by the configuration while it decodes the
    /// file (the file is read before the plugin exists, and the decoder carries no plugin state).
    /// Nil for the built-in copy, which keeps only the levels the scale has (``keeping(severities:)``).
    @TaskLocal static var knownSeverities: [String]?

    public init(items: [String], severities: [String: [String]] = [:]) {
        self.items = items
        self.severities = severities
    }

    enum CodingKeys: String, CodingKey { case items, severities }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decode([ChecklistItemText].self, forKey: .items).map(\.text)
        guard !items.isEmpty, items.count <= Self.maximumItems else {
            throw DecodingError.dataCorruptedError(
                forKey: .items, in: container, debugDescription: "needs 1 to \(Self.maximumItems) items, found \(items.count)")
        }
        try Self.checkUnique(items, previous: [], at: container.codingPath + [CodingKeys.items])
        var extra: [String: [String]] = [:]
        if container.contains(.severities), try !container.decodeNil(forKey: .severities) {
            let levels = try container.nestedContainer(keyedBy: NamedKey.self, forKey: .severities)
            let known = Self.knownSeverities
            for key in levels.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                if let known, !known.contains(key.stringValue) {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: levels,
                        debugDescription: "'\(key.stringValue)' is not a severity; expected any of \(known.joined(separator: ", "))")
                }
                let list = try levels.decode([ChecklistItemText].self, forKey: key).map(\.text)
                guard !list.isEmpty, items.count + list.count <= Self.maximumItems else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: levels,
                        debugDescription: "needs 1 to \(Self.maximumItems - items.count) items (at most \(Self.maximumItems) with `items`), found \(list.count)")
                }
                try Self.checkUnique(list, previous: items, at: levels.codingPath + [key])
                extra[key.stringValue] = list
            }
        }
        severities = extra
    }

    /// Throws at the item (`severities.sev1[2]`) that repeats an earlier one.
    static func checkUnique(_ list: [String], previous: [String], at path: [any CodingKey]) throws {
        var seen = Set(previous.map(key))
        for (index, text) in list.enumerated() where !seen.insert(key(text)).inserted {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: path + [ListIndex(index)], debugDescription: "the item '\(text)' is listed twice"))
        }
    }

    /// This checklist without the sections of levels the scale does not have: the built-in copy
    /// names `sev1` and `sev2`, which a team's own severities may not.
    public func keeping(severities ids: [String]) -> Checklist {
        Checklist(items: items, severities: severities.filter { ids.contains($0.key) })
    }

    /// What an incident at `severity` works through.
    public func items(for severity: String) -> [String] {
        items + (severities[severity] ?? [])
    }

    /// A stable id of an item's text, for checkbox values and the ticks table: 16 hex digits of
    /// FNV-1a (Swift's `Hasher` is seeded per process, so it would not survive a restart).
    public static func key(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// One item: trimmed, non-empty, and short enough for a checkbox once escaped for mrkdwn.
struct ChecklistItemText: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        text = try container.decode(String.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let length = SlackText.escaped(text).count
        guard !text.isEmpty, length <= Checklist.maximumText, !text.contains("\n") else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "must be one line of 1 to \(Checklist.maximumText) characters (Slack's limit for a checkbox; & < > count as 4-5), found \(length)")
        }
    }
}
