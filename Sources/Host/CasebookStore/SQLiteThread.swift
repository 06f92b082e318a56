import CasebookKit
import NIOPosix

/// Runs a task's nonisolated code on the SQLite connection's own thread (its one-thread
/// `NIOThreadPool`), so that a session's queries follow each other on that thread.
///
/// SQLiteNIO runs every statement on the pool and resumes the caller from there. A caller on an
/// event loop or on Swift's pool hopped threads twice per statement (there and back), and each hop
/// woke a sleeping thread: for `/case list` most of the host's extra CPU over `/case help` was
/// those wake-ups, not SQLite. With this as the session's executor preference, the session moves
/// to the connection's thread once, each statement is queued on the thread it already runs on, and
/// the session moves back once at the end.
final class SQLiteThread: TaskExecutor {
    private let pool: NIOThreadPool

    init(_ pool: NIOThreadPool) {
        self.pool = pool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Runs even when the pool has stopped (it then calls the item at once, on this thread):
        // a job that never runs would leave its task suspended forever.
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
