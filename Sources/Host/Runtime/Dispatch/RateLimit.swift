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

    public init(limit: Int, window: Duration, now: @escaping @Sendable () -> Date = Date.init) {
        self.limit = limit
        self.window = window.timeInterval
        self.now = now
    }

    public func handle(_ invocation: Invocation, next: @Sendable (Invocation) async throws -> Reply) async throws -> Reply {
        if case .event = invocation { return try await next(invocation) }
        guard let user = invocation.userID, !user.isEmpty, limit > 0 else { return try await next(invocation) }
        let current = now()
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
