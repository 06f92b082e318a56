/// Reads `Retry-After` defensively: seconds (`"120"`, `"1.5"`) or an HTTP date, capped at
/// ``maximum``. `inf`, `1e20`, negative numbers and garbage never crash and never stall a caller
/// for a day; an unreadable value means "use your own backoff" (nil).
public enum RetryAfter {
    /// The longest single wait a service can impose on us.
    public static let maximum: Duration = .seconds(60)

    public static func parse(_ value: String?, now: Date = Date(), cap: Duration = maximum) -> Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let capSeconds = Double(cap.components.seconds) + Double(cap.components.attoseconds) / 1e18
        if text.allSatisfy({ $0.isNumber || $0 == "." }), let seconds = Double(text), seconds.isFinite {
            return .milliseconds(Int64((min(max(seconds, 0), capSeconds) * 1000).rounded()))
        }
        guard let date = httpDate(text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        guard seconds.isFinite else { return nil }
        return .milliseconds(Int64((min(max(seconds, 0), capSeconds) * 1000).rounded()))
    }

    /// RFC 9110's preferred form, `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
