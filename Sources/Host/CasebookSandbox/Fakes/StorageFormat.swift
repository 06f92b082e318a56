/// A well-formedness check of Confluence storage format (XHTML with `ac:`/`ri:` elements), as
/// Confluence makes it before storing a page: every tag closed in order, attributes quoted, `&` only
/// as an entity or character reference, `<` only opening markup, CDATA and comments closed. Used by
/// the fake Confluence (a 400 like the real one) and by tests of rendered templates.
public enum StorageFormat {
    /// Why `body` is not well-formed, or nil when it is.
    public static func problem(in body: String) -> String? {
        let text = Array(body.unicodeScalars)
        var open: [String] = []
        var index = 0
        func starts(_ prefix: String, at position: Int) -> Bool {
            let scalars = Array(prefix.unicodeScalars)
            guard position + scalars.count <= text.count else { return false }
            return Array(text[position..<(position + scalars.count)]) == scalars
        }
        func find(_ needle: String, from position: Int) -> Int? {
            var cursor = position
            while cursor < text.count {
                if starts(needle, at: cursor) { return cursor }
                cursor += 1
            }
            return nil
        }
        func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_" || scalar == ":" || scalar == "."
        }
        while index < text.count {
            let scalar = text[index]
            if scalar == "&" {
                guard let end = find(";", from: index + 1), end - index <= 12 else { return "a bare & at offset \(index)" }
                let reference = String(String.UnicodeScalarView(text[(index + 1)..<end]))
                let valid = reference.hasPrefix("#x") ? reference.dropFirst(2).allSatisfy(\.isHexDigit) && reference.count > 2
                    : reference.hasPrefix("#") ? reference.dropFirst().allSatisfy(\.isNumber) && reference.count > 1
                    : !reference.isEmpty && reference.unicodeScalars.allSatisfy(isNameScalar)
                guard valid else { return "a bare & at offset \(index)" }
                index = end + 1
                continue
            }
            if scalar == ">" && index >= 2 && text[index - 1] == "]" && text[index - 2] == "]" {
                return "]]> outside a CDATA section at offset \(index - 2)"
            }
            guard scalar == "<" else {
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\r" && scalar != "\t" { return "a control character at offset \(index)" }
                index += 1
                continue
            }
            if starts("<![CDATA[", at: index) {
                guard let end = find("]]>", from: index + 9) else { return "an unclosed CDATA section at offset \(index)" }
                index = end + 3
                continue
            }
            if starts("<!--", at: index) {
                guard let end = find("-->", from: index + 4) else { return "an unclosed comment at offset \(index)" }
                index = end + 3
                continue
            }
            guard let end = find(">", from: index + 1) else { return "an unclosed tag at offset \(index)" }
            let inside = String(String.UnicodeScalarView(text[(index + 1)..<end]))
            index = end + 1
            if inside.hasPrefix("?") { continue }
            if inside.hasPrefix("/") {
                let name = String(inside.dropFirst()).trimmingCharacters(in: .whitespaces)
                guard let last = open.popLast() else { return "</\(name)> closes nothing" }
                guard last == name else { return "</\(name)> closes <\(last)>" }
                continue
            }
            let selfClosing = inside.hasSuffix("/")
            let tag = selfClosing ? String(inside.dropLast()) : inside
            guard let name = tag.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first.map(String.init),
                  !name.isEmpty, name.unicodeScalars.allSatisfy(isNameScalar)
            else { return "a < that opens no tag (<\(String(inside.prefix(20)))…)" }
            if let problem = attributeProblem(String(tag.dropFirst(name.count)), in: name) { return problem }
            if !selfClosing { open.append(name) }
        }
        if let last = open.last { return "<\(last)> is never closed" }
        return nil
    }

    /// Attributes are `name="value"` or `name='value'`, without `<` or a bare `&` in the value.
    static func attributeProblem(_ text: String, in element: String) -> String? {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
            if rest.isEmpty { return nil }
            guard let equals = rest.firstIndex(of: "=") else { return "an attribute without a value in <\(element)>" }
            let afterEquals = rest[rest.index(after: equals)...]
            guard let quote = afterEquals.first, quote == "\"" || quote == "'" else { return "an unquoted attribute in <\(element)>" }
            let valueStart = afterEquals.index(after: afterEquals.startIndex)
            guard let close = afterEquals[valueStart...].firstIndex(of: quote) else { return "an unclosed attribute in <\(element)>" }
            let value = afterEquals[valueStart..<close]
            if value.contains("<") { return "a < in an attribute of <\(element)>" }
            if let problem = problem(in: String(value)), problem.contains("&") { return "\(problem) in an attribute of <\(element)>" }
            rest = afterEquals[afterEquals.index(after: close)...]
        }
    }
}
