import CasebookKit

/// A job runs in the trace it was queued under (a child span of it), or in a new one when it has
/// none (a recurring job, a row from before tracing): its logs carry that correlation id, and so
/// do its integration calls and the jobs it queues in turn.
extension JobRunner {
    func traced(_ job: ClaimedJob, _ body: @Sendable () async -> Void) async {
        let stored = try? await database.withSession { sql in try await JobQueue.trace(sql, id: job.id) }
        let trace = TraceContext(stored: stored ?? nil)?.child() ?? .start()
        await TraceContext.$current.withValue(trace) { await body() }
    }
}

extension JobQueue {
    static func trace(_ sql: any SQLDatabase, id: Int64) async throws -> String? {
        try await sql.raw("SELECT trace FROM casebook_jobs WHERE id = \(bind: id)").first()?.decode(column: "trace", as: String?.self)
    }
}
