import CasebookKit
import NIOCore
import Synchronization

/// A per-user sliding-window limit on invocations, answered politely rather than silently dropped.
public final class RateLimit: DispatchMiddleware {
    let limit: Int
    let window: TimeInterval
    let now: @Sendable () -> Date
    /// Each user's invocation times within the window, oldest first: a check drops expired times
    /// from the front, so it costs O(1) amortised however large the limit is.
    let history = Mutex<[String: CircularBuffer<Date>]>([:])
    /// Checks since idle users were last forgotten.
    private let checksSinceSweep = Mutex(0)
    /// Every this many checks, users with nothing left in the window are dropped, so the table holds
    /// the recently active people, not everyone who ever typed a command.
    static let sweepEvery = 1_024

    /// How many people the table remembers (for tests and memory checks).
    var trackedUsers: Int { history.withLock { $0.count } }

    public init(limit: Int, window: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.limit = limit
        self.window = window.timeInterval
        self.now = now
    }

    public func handle(_ invocation: Invocation, next: @Sendable (Invocation) async throws -> Reply) async throws -> Reply {
        if case .event = invocation { return try await next(invocation) }
        guard let user = invocation.userID, !user.isEmpty, limit > 0 else { return try await next(invocation) }
        let current = now()
        let sweep = checksSinceSweep.withLock { count -> Bool in
            count += 1
            guard count >= Self.sweepEvery else { return false }
            count = 0
            return true
        }
        if sweep {
            let window = window
            history.withLock { table in table = table.filter { _, times in times.last.map { current.timeIntervalSince($0) < window } ?? false } }
        }
        let retryAfter: TimeInterval? = history.withLock { table in
            var recent = table.removeValue(forKey: user) ?? CircularBuffer()
            defer { table[user] = recent }
            while let oldest = recent.first, current.timeIntervalSince(oldest) >= window { recent.removeFirst() }
            if recent.count >= limit, let oldest = recent.first {
                return window - current.timeIntervalSince(oldest)
            }
            recent.append(current)
            return nil
        }
        if let retryAfter {
            throw UserFacingError("You're going a bit fast — please try again in \(max(1, Int(retryAfter.rounded(.up)))) s.")
        }
        return try await next(invocation)
    }
}
