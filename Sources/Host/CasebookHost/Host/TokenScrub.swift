import CasebookKit

/// The last line of defence for "never log a token": Slack token shapes (`xoxb-…`, `xoxp-…`,
/// `xapp-…`, …) in a log message or metadata value are replaced before the line is written. Code
/// never logs a token on purpose; this catches one inside an error's description or a URL.
enum TokenScrub {
    static let prefixes = ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxe-", "xoxs-", "xapp-"]

    static func scrub(_ text: String) -> String {
        guard mayHoldToken(text) else { return text }
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

    /// Whether `text` has `xox` or `xapp-` in it: a byte scan, because it runs on every value of
    /// every log line (the audit line of each invocation too), and `String.contains` from Foundation
    /// cost more than the rest of the line.
    static func mayHoldToken(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 3 else { return false }
            for index in 0..<(bytes.count - 2) where bytes[index] == UInt8(ascii: "x") {
                if bytes[index + 1] == UInt8(ascii: "o"), bytes[index + 2] == UInt8(ascii: "x") { return true }
                if bytes[index + 1] == UInt8(ascii: "a"), index + 4 < bytes.count, bytes[index + 2] == UInt8(ascii: "p"),
                   bytes[index + 3] == UInt8(ascii: "p"), bytes[index + 4] == UInt8(ascii: "-") { return true }
            }
            return false
        }
    }
}
