/// How a value is written into one kind of output. Everything a template shows came from Slack or
/// from people, so each output says how its values are written; plugins add their own rules
/// (the postmortem publishers' XHTML and Markdown).
public struct MustacheEscaping: Sendable {
    public let name: String
    public let escape: @Sendable (String) -> String

    public init(name: String, escape: @escaping @Sendable (String) -> String) {
        self.name = name
        self.escape = escape
    }

    /// Plain text that nothing parses (a channel topic): values as they are, on one line, so a
    /// title cannot add lines to the text around it.
    public static let plainText = MustacheEscaping(name: "plain text") { text in
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
