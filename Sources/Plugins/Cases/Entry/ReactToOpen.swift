import CasebookKit

extension CasesPlugin {
    /// `react_to_open` in the `cases` section: a reaction that turns the message it is added to into
    /// an investigation.
    ///
    /// ```yaml
    /// react_to_open:
    ///   emoji: rotating_light        # the name, without colons
    ///   channels: [C0ALERTS]         # optional; every channel the bot is in when left out
    /// ```
    ///
    /// An empty `emoji` switches it off, so the shipped file can read it from the environment.
    public struct ReactToOpen: Decodable, Sendable, Equatable {
        /// The emoji's name as Slack sends it in `reaction_added` (`rotating_light`).
        public var emoji: String
        /// Channel ids (`C…`, `G…`) where the reaction opens a case; empty means every channel the
        /// bot is in (Slack sends reactions only from those).
        public var channels: [String]

        public init(emoji: String, channels: [String] = []) {
            self.emoji = emoji
            self.channels = channels
        }

        enum CodingKeys: String, CodingKey {
            case emoji
            case channels
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let name = try container.decode(String.self, forKey: .emoji).trimmingCharacters(in: .whitespaces)
            if let problem = Self.problem(emoji: name) {
                throw DecodingError.dataCorruptedError(forKey: .emoji, in: container, debugDescription: problem)
            }
            emoji = name
            let channels = try Self.decodeChannels(container)
            if let wrong = channels.first(where: { !Self.isChannelID($0) }) {
                throw DecodingError.dataCorruptedError(
                    forKey: .channels, in: container,
                    debugDescription: "'\(wrong)' is not a channel id; use ids like C0123ABCD (the channel's details show it), not names")
            }
            self.channels = channels
        }

        /// A comma-separated string (an environment variable) or a YAML list.
        static func decodeChannels(_ container: KeyedDecodingContainer<CodingKeys>) throws -> [String] {
            guard container.contains(.channels), try !container.decodeNil(forKey: .channels) else { return [] }
            let values = try (try? container.decode([String].self, forKey: .channels)) ?? [container.decode(String.self, forKey: .channels)]
            return values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// Why `name` is not an emoji name Slack would send, or nil when it is (empty is "off").
        static func problem(emoji name: String) -> String? {
            if name.hasPrefix(":") || name.hasSuffix(":") {
                return "'\(name)' has colons; write the emoji's name without them, e.g. rotating_light"
            }
            let allowed = name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-+'".contains($0) }
            guard allowed, name.count <= 100 else {
                return "'\(name)' is not an emoji name (lowercase letters, digits, _ - + and ', at most 100), e.g. rotating_light"
            }
            return nil
        }

        static func isChannelID(_ text: String) -> Bool {
            guard let first = text.first, first == "C" || first == "G", text.count >= 3, text.count <= 24 else { return false }
            return text.dropFirst().allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        }

        /// Whether a reaction named `reaction` (as sent, maybe with a skin tone) in `channel` opens a case.
        public func opens(_ reaction: String, in channel: String) -> Bool {
            let base = reaction.split(separator: ":", maxSplits: 1).first.map(String.init) ?? reaction
            return base == emoji && (channels.isEmpty || channels.contains(channel))
        }
    }
}
