import SlackSimulator

extension Format {
    /// Each Web API call as "`method` start→end" after `origin`, for a table's critical-path note.
    static func calls(_ calls: [APICallRecord], since origin: ContinuousClock.Instant) -> String {
        calls.map { "`\($0.method)` \(ms($0.started - origin))→\(ms($0.ended - origin))" }.joined(separator: ", ")
    }
}
