import CasebookKit
import NIOCore
import Synchronization

/// Where replicas share each user's recent invocations (the database, on PostgreSQL), so that the
/// limit holds for the deployment rather than per process.
public protocol SharedInvocationWindow: Sendable {
    /// Records an invocation by `user` unless `limit` were made within `window`; else returns how
    /// long until one leaves the window.
    func admitInvocation(user: String, limit: Int, window: Duration) async throws -> TimeInterval?
    /// Forgets invocations older than `window`.
    func forgetInvocations(olderThan window: Duration) async throws
}

/// A per-user sliding-window limit on invocations, answered politely rather than silently dropped.
/// Kept in memory (no suspension, nothing on the ack path) unless a ``SharedInvocationWindow`` is
/// given; if that cannot answer, the in-memory window decides rather than refusing everyone.
public final class RateLimit: DispatchMiddleware {
    let limit: Int
    let window: TimeInterval
    let now: @Sendable () -> Date
    let shared: (any SharedInvocationWindow)?
    let logger: Logger
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

    public init(
        limit: Int, window: Duration, now: @escaping @Sendable () -> Date = Date.init, shared: (any SharedInvocationWindow)? = nil,
        logger: Logger = Logger(label: "casebook.rate-limit")
    ) {
        self.limit = limit
        self.window = window.timeInterval
        self.now = now
        self.shared = shared
        self.logger = logger
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
        var retryAfter: TimeInterval?
        if let shared {
            do {
                retryAfter = try await sharedCheck(shared, user: user, sweep: sweep)
            } catch {
                logger.warning("shared rate limit unavailable; this replica's own count decides", metadata: ["error": "\(error)"])
                retryAfter = localCheck(user: user, at: current)
            }
        } else {
            retryAfter = localCheck(user: user, at: current)
        }
        if let retryAfter {
            throw UserFacingError("You're going a bit fast — please try again in \(max(1, Int(retryAfter.rounded(.up)))) s.")
        }
        return try await next(invocation)
    }

    private func sharedCheck(_ shared: any SharedInvocationWindow, user: String, sweep: Bool) async throws -> TimeInterval? {
        let duration = Duration.milliseconds(Int64((window * 1000).rounded()))
        if sweep { try await shared.forgetInvocations(olderThan: duration) }
        return try await shared.admitInvocation(user: user, limit: limit, window: duration)
    }

    private func localCheck(user: String, at current: Date) -> TimeInterval? {
        history.withLock { table in
            var recent = table.removeValue(forKey: user) ?? CircularBuffer()
            defer { table[user] = recent }
            while let oldest = recent.first, current.timeIntervalSince(oldest) >= window { recent.removeFirst() }
            if recent.count >= limit, let oldest = recent.first {
                return window - current.timeIntervalSince(oldest)
            }
            recent.append(current)
            return nil
        }
    }
}
