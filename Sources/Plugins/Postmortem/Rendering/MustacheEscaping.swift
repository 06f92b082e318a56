import CasebookKit

/// The outputs a postmortem is written into. Everything a postmortem shows came from Slack or
/// from people, so nothing is ever written raw.
extension MustacheEscaping {
    /// Confluence storage format (XHTML): the five XML entities, and the characters XML 1.0 does
    /// not allow dropped, so any title (`<`, `&`, `]]>`) leaves the page well-formed — in text and
    /// in attribute values alike. Placeholders belong outside CDATA sections.
    public static let storageXHTML = MustacheEscaping(name: "storage XHTML") { text in
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            case "\t", "\n", "\r": output.unicodeScalars.append(scalar)
            default:
                // XML 1.0 Char: no C0 controls, no U+FFFE/U+FFFF.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Markdown (CommonMark, as Linear reads it): every ASCII punctuation character Markdown gives a
    /// meaning to is backslash-escaped — emphasis, links, code, headings, lists, tables, HTML and
    /// entities — so a value is shown as typed, also inside a link's `(…)`. A line break inside a
    /// value stays a line break but cannot start a block (its `#`, `-`, `>` are escaped too).
    public static let markdown = MustacheEscaping(name: "Markdown") { text in
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            if Self.markdownSpecial.contains(character) { output.append("\\") }
            if character == "\r" { continue }
            output.append(character)
        }
        return output
    }

    static let markdownSpecial: Set<Character> = [
        "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", "<", ">", "~", "&",
    ]
}
