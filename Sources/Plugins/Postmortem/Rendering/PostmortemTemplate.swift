import CasebookKit

/// A postmortem body template and the escaping of its output: storage-format XHTML for Confluence,
/// Markdown for Linear. Parsed when the configuration is read, so a broken template fails
/// `casebook check-config` with the file, its line and the configuration key.
public struct PostmortemTemplate: Sendable, Equatable {
    /// Where the text came from (a path, or `built-in …`), for problems.
    public let name: String
    public let template: MustacheTemplate
    public let escaping: Escaping

    /// The output a template writes; decides how values are escaped.
    public enum Escaping: String, Sendable, Equatable {
        case storageXHTML, markdown

        public var rules: MustacheEscaping {
            switch self {
            case .storageXHTML: .storageXHTML
            case .markdown: .markdown
            }
        }
    }

    public init(_ source: String, name: String, escaping: Escaping) throws {
        do {
            template = try MustacheTemplate(source)
        } catch let error as MustacheTemplate.SyntaxError {
            throw TemplateError(name: name, line: error.line, message: error.message)
        }
        self.name = name
        self.escaping = escaping
    }

    public func render(_ document: PostmortemDocument) -> String {
        template.render(document.templateValues, escaping: escaping.rules)
    }

    /// A template that does not parse: `templates/confluence/rca.html, line 12: …`.
    public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var line: Int
        public var message: String
        public var description: String { "\(name), line \(line): \(message)" }
        public init(name: String, line: Int, message: String) {
            self.name = name
            self.line = line
            self.message = message
        }
    }
}

/// Reads a plugin's `template:` key, a file path relative to `plugins.yaml`, as a
/// ``PostmortemTemplate``: `@ReadWith<TemplateFile> public var template: PostmortemTemplate?`, nil
/// for the plugin's built-in one. A missing file or a template that does not parse is a
/// configuration problem at the key.
public protocol PostmortemTemplateFile: ConfigurationReader where Value == PostmortemTemplate? {
    static var escaping: PostmortemTemplate.Escaping { get }
}

extension PostmortemTemplateFile {
    public static func read(from decoder: any Decoder) throws -> PostmortemTemplate? {
        let container = try decoder.singleValueContainer()
        let path = try container.decode(String.self).trimmingCharacters(in: .whitespaces)
        let text = try decoder.literatureText(file: path)
        do {
            return try PostmortemTemplate(text, name: path, escaping: escaping)
        } catch let error as PostmortemTemplate.TemplateError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }
}
