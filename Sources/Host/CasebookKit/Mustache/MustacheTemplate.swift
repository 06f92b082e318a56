/// A Mustache template (the subset postmortem bodies and channel topics need): `{{name}}` and dotted `{{a.b}}`
/// variables, `{{.}}`, sections `{{#list}}…{{/list}}` that repeat for lists and show for true or
/// non-empty values, inverted sections `{{^list}}…{{/list}}`, and comments `{{! … }}`; tags alone on
/// a line take the line with them, as the Mustache spec says, so Markdown lists come out clean.
///
/// Every value is escaped for the output (``MustacheEscaping``): there is no unescaped `{{{x}}}` or
/// `{{&x}}`, because everything a postmortem or a topic shows came from Slack. The Kit's `Template`
/// fills `{{name}}` only; postmortems need lists (roles, updates, the timeline), hence this. It lives
/// in the Kit so every plugin that lets people write a template parses and reports it alike.
public struct MustacheTemplate: Sendable, Equatable {
    indirect enum Node: Sendable, Equatable {
        case text(String)
        case variable([String])
        case section([String], inverted: Bool, [Node])
    }

    let nodes: [Node]

    /// A template that does not parse, with the 1-based line of the problem.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public init(_ source: String) throws {
        var tokens = try Self.tokenize(source)
        Self.stripStandaloneLines(&tokens)
        var index = 0
        nodes = try Self.parse(tokens, &index, closing: nil)
    }

    /// Renders with `context`, escaping every value with `escaping`. Missing names render nothing.
    public func render(_ context: MustacheValue, escaping: MustacheEscaping) -> String {
        var output = ""
        Self.render(nodes, stack: [context], escaping: escaping, into: &output)
        return output
    }

    /// The names the template looks up (the first part of each dotted name), so a configuration
    /// can refuse a placeholder that nothing will ever fill.
    public var names: Set<String> { Self.names(in: nodes) }

    static func names(in nodes: [Node]) -> Set<String> {
        nodes.reduce(into: Set<String>()) { names, node in
            switch node {
            case .text: break
            case .variable(let path): if let first = path.first { names.insert(first) }
            case .section(let path, _, let children):
                if let first = path.first { names.insert(first) }
                names.formUnion(Self.names(in: children))
            }
        }
    }

    // MARK: Tokens

    enum Token: Equatable {
        case text(String)
        /// `kind` is nil for a variable, else one of `#`, `^`, `/`, `!`.
        case tag(kind: Character?, name: String, line: Int)
    }

    static func tokenize(_ source: String) throws -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(source)
        var line = 1
        while let open = rest.range(of: "{{") {
            let before = rest[..<open.lowerBound]
            if !before.isEmpty { tokens.append(.text(String(before))) }
            line += before.filter { $0 == "\n" }.count
            let inside = rest[open.upperBound...]
            if inside.hasPrefix("{") || inside.hasPrefix("&") {
                throw SyntaxError(line: line, message: "unescaped output ({{{…}}} or {{&…}}) is not allowed: every value is escaped")
            }
            guard let close = inside.range(of: "}}") else {
                throw SyntaxError(line: line, message: "a tag opened with {{ is never closed with }}")
            }
            var body = inside[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            var kind: Character?
            if let first = body.first, "#^/!".contains(first) {
                kind = first
                body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces)
            }
            if kind != "!" {
                if body.contains("=") || body.hasPrefix(">") {
                    throw SyntaxError(line: line, message: "{{\(body)}}: partials and delimiter changes are not supported")
                }
                guard !body.isEmpty, body.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }) else {
                    throw SyntaxError(line: line, message: "'{{\(inside[..<close.lowerBound])}}' is not a placeholder name")
                }
            }
            tokens.append(.tag(kind: kind, name: body, line: line))
            line += inside[..<close.lowerBound].filter { $0 == "\n" }.count
            rest = inside[close.upperBound...]
        }
        if !rest.isEmpty { tokens.append(.text(String(rest))) }
        return tokens
    }

    /// A section, inverted, closing or comment tag with only blanks around it on its line loses the
    /// line's blanks and its newline. Decided on the original tokens first, then applied.
    static func stripStandaloneLines(_ tokens: inout [Token]) {
        func blank(_ text: Substring) -> Bool { text.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
        var standalone: [Int] = []
        for index in tokens.indices {
            guard case .tag(let kind?, _, _) = tokens[index], "#^/!".contains(kind) else { continue }
            let startsLine: Bool
            switch index > 0 ? tokens[index - 1] : nil {
            case nil: startsLine = true
            case .text(let text)?:
                let tail = text[(text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex)...]
                startsLine = blank(tail) && (text.contains("\n") || index == 1)
            case .tag?: startsLine = false
            }
            let endsLine: Bool
            switch index + 1 < tokens.count ? tokens[index + 1] : nil {
            case nil: endsLine = true
            case .text(let text)?:
                if let newline = text.firstIndex(of: "\n") { endsLine = blank(text[..<newline]) } else { endsLine = blank(text[...]) && index + 2 == tokens.count }
            case .tag?: endsLine = false
            }
            if startsLine && endsLine { standalone.append(index) }
        }
        for index in standalone {
            if index > 0, case .text(let text) = tokens[index - 1] {
                let tail = text.count - (text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) + 1 } ?? 0)
                tokens[index - 1] = .text(String(text.dropLast(max(0, tail))))
            }
            if index + 1 < tokens.count, case .text(let text) = tokens[index + 1] {
                tokens[index + 1] = .text(text.firstIndex(of: "\n").map { String(text[text.index(after: $0)...]) } ?? "")
            }
        }
    }

    static func parse(_ tokens: [Token], _ index: inout Int, closing: (name: String, line: Int)?) throws -> [Node] {
        var nodes: [Node] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case .text(let text):
                if !text.isEmpty { nodes.append(.text(text)) }
            case .tag(nil, let name, _):
                nodes.append(.variable(path(name)))
            case .tag("!", _, _):
                continue
            case .tag("/", let name, let line):
                guard let closing else { throw SyntaxError(line: line, message: "{{/\(name)}} closes no open section") }
                guard closing.name == name else {
                    throw SyntaxError(line: line, message: "{{/\(name)}} closes {{#\(closing.name)}} from line \(closing.line)")
                }
                return nodes
            case .tag(let kind, let name, let line):
                let children = try parse(tokens, &index, closing: (name, line))
                nodes.append(.section(path(name), inverted: kind == "^", children))
            }
        }
        if let closing { throw SyntaxError(line: closing.line, message: "{{#\(closing.name)}} is never closed with {{/\(closing.name)}}") }
        return nodes
    }

    static func path(_ name: String) -> [String] {
        name == "." ? [] : name.split(separator: ".").map(String.init)
    }

    // MARK: Rendering

    static func render(_ nodes: [Node], stack: [MustacheValue], escaping: MustacheEscaping, into output: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .variable(let path):
                if let value = lookup(path, in: stack), let text = value.text { output += escaping.escape(text) }
            case .section(let path, let inverted, let children):
                let value = lookup(path, in: stack)
                if inverted {
                    if value?.isTruthy != true { render(children, stack: stack, escaping: escaping, into: &output) }
                } else if case .list(let items)? = value {
                    for item in items { render(children, stack: stack + [item], escaping: escaping, into: &output) }
                } else if let value, value.isTruthy {
                    render(children, stack: stack + [value], escaping: escaping, into: &output)
                }
            }
        }
    }

    /// The first name is looked up from the innermost context outwards; the rest inside it.
    static func lookup(_ path: [String], in stack: [MustacheValue]) -> MustacheValue? {
        guard let first = path.first else { return stack.last }
        guard var value = stack.reversed().lazy.compactMap({ $0[first] }).first else { return nil }
        for name in path.dropFirst() {
            guard let next = value[name] else { return nil }
            value = next
        }
        return value
    }
}

/// What a template is rendered with.
public enum MustacheValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    case text(String)
    case bool(Bool)
    case list([MustacheValue])
    case object([String: MustacheValue])

    public init(stringLiteral value: String) { self = .text(value) }
    public init(dictionaryLiteral elements: (String, MustacheValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(arrayLiteral elements: MustacheValue...) { self = .list(elements) }

    public subscript(name: String) -> MustacheValue? {
        if case .object(let fields) = self { return fields[name] }
        return nil
    }

    /// The text a variable shows; lists and objects show nothing.
    var text: String? {
        switch self {
        case .text(let text): text
        case .bool(let bool): bool ? "true" : "false"
        case .list, .object: nil
        }
    }

    /// Whether a section shows: false, "" and [] do not.
    var isTruthy: Bool {
        switch self {
        case .text(let text): !text.isEmpty
        case .bool(let bool): bool
        case .list(let items): !items.isEmpty
        case .object: true
        }
    }
}
