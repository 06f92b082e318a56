import CasebookKit

/// The last line of defence for "never log a token": Slack token shapes (`xoxb-…`, `xoxp-…`,
/// `xapp-…`, …) in a log message or metadata value are replaced before the line is written. Code
/// never logs a token on purpose; this catches one inside an error's description or a URL.
enum TokenScrub {
    static let prefixes = ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxe-", "xoxs-", "xapp-"]

    static func scrub(_ text: String) -> String {
        guard text.contains("xox") || text.contains("xapp-") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = prefixes.compactMap({ rest.range(of: $0)?.lowerBound }).min() {
            result += rest[..<start]
            var end = start
            while end < rest.endIndex, rest[end].isLetter || rest[end].isNumber || rest[end] == "-" { end = rest.index(after: end) }
            result += "[redacted]"
            rest = rest[end...]
        }
        return result + rest
    }
}
