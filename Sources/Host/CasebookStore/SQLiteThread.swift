import CasebookKit
import NIOPosix

/// The SQLite connection's own thread (a one-thread `NIOThreadPool`): every statement runs on it,
/// and a task's nonisolated code runs on it too while it holds a session.
///
/// A caller on an event loop or on Swift's pool that handed each statement to the thread and back
/// woke a sleeping thread twice per statement: for `/case list` most of the host's extra CPU over
/// `/case help` was those wake-ups, not SQLite. With this as the session's executor preference, the
/// session moves to the connection's thread once, runs its statements there without a hand-off
/// (``run(_:)``), and moves back once at the end.
final class SQLiteThread: TaskExecutor {
    private let pool: NIOThreadPool
    private let thread: pthread_t

    private init(pool: NIOThreadPool, thread: pthread_t) {
        self.pool = pool
        self.thread = thread
    }

    static func start() async throws -> SQLiteThread {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        do {
            return SQLiteThread(pool: pool, thread: try await pool.runIfActive { pthread_self() })
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
    }

    /// Whether the caller runs on this thread.
    var isCurrent: Bool { pthread_equal(pthread_self(), thread) != 0 }

    /// Runs `body` on the thread: at once when the caller is already on it, else queued there.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if isCurrent { return try body() }
        return try await pool.runIfActive(body)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Runs even when the pool has stopped (it then calls the item at once, on this thread):
        // a job that never runs would leave its task suspended forever.
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    func stop() async throws {
        try await pool.shutdownGracefully()
    }
}
