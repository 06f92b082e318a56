import CasebookKit

/// RFC 4180 fields, made safe to open in a spreadsheet.
public enum CSV {
    /// Quotes a field when it holds a comma, quote, CR or LF (doubling inner quotes), and neutralises
    /// a leading `=`, `+`, `-`, `@` (or tab/CR) with a `'` so a spreadsheet shows the text instead of
    /// running it as a formula ("CSV injection"). Case titles are free user text, so this matters.
    public static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record, CRLF-terminated as RFC 4180 asks.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
