import CasebookKit

/// The `topic` setting: a Mustache template of the case channel's topic, so the header always shows
/// what matters now (a meeting bridge, the status, who commands) and follows the case as it moves.
///
/// Slack topics are plain text of at most 250 characters: values are written as they are, on one
/// line, and the result is cut to fit. `{{commander}}` is a mention (`<@U…>`) or empty, so
/// `{{#commander}}IC {{commander}}{{/commander}}` shows only once someone commands.
public struct ChannelTopic: Sendable, Equatable {
    /// The names a topic may use; anything else is a typo that would render nothing.
    public static let placeholders = ["title", "status", "commander"]
    /// Slack refuses a longer topic with `too_long`.
    public static let maximumLength = 250

    public let source: String
    let template: MustacheTemplate

    /// Parses `source`; a syntax error or an unknown placeholder is thrown as words for the
    /// configuration problem.
    public init(_ source: String) throws {
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(source)
        } catch let error as MustacheTemplate.SyntaxError {
            throw ConfigurationProblem("is not a valid template (\(error))")
        }
        let unknown = template.names.subtracting(Self.placeholders).sorted()
        guard unknown.isEmpty else {
            throw ConfigurationProblem(
                "uses \(unknown.map { "{{\($0)}}" }.joined(separator: ", ")), which a topic does not have; "
                    + "use \(Self.placeholders.map { "{{\($0)}}" }.joined(separator: ", "))")
        }
        self.source = source
        self.template = template
    }

    /// The topic for `item` as it stands.
    public func render(_ item: Case) -> String {
        let values: MustacheValue = [
            "title": .text(item.title), "status": .text(item.status.label),
            "commander": .text(item.commander.map { SlackText.user($0) } ?? ""),
        ]
        let text = template.render(values, escaping: .plainText)
            .split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return SlackText.truncated(text, to: Self.maximumLength)
    }

    /// Words for a configuration problem, placed at the key by the decoder.
    struct ConfigurationProblem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension ChannelTopic: Decodable {
    /// `topic` in the `cases` section; absent or empty keeps today's topic, the title.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            try self.init(container.decode(String.self))
        } catch let problem as ChannelTopic.ConfigurationProblem {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: problem.description)
        }
    }
}

extension CasesPlugin {
    /// The topic a case channel should have now: the configured template, else the title.
    func channelTopic(for item: Case) -> String {
        configuration.topic?.render(item) ?? SlackText.truncated(item.title, to: ChannelTopic.maximumLength)
    }
}
