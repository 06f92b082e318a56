import CasebookKit

/// A job runs in the trace it was queued under (a child span of it), or in a new one when it has
/// none (a recurring job, a row from before tracing): its logs carry that correlation id, and so
/// do its integration calls and the jobs it queues in turn. The claim reads the stored trace with
/// the job, so running it costs no extra round trip.
extension JobRunner {
    func traced(_ job: ClaimedJob, _ body: @Sendable () async -> Void) async {
        let trace = TraceContext(stored: job.trace)?.child() ?? .start()
        await TraceContext.$current.withValue(trace) { await body() }
    }
}
