/// Replaces secrets in text that may reach a log, an error, a metric or the audit timeline.
public enum Redaction {
    public static let marker = "[redacted]"

    /// `text` with every value in `secrets` (longest first, so a token inside a header value goes
    /// with it) replaced by ``marker``.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in Set(secrets).sorted(by: { $0.count > $1.count }) where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: marker)
        }
        return result
    }
}
