import CasebookKit

/// The answer to `/case jobs`: dead jobs of every plugin, each with a Retry button, then the pending
/// ones, like `casebook jobs`. Capped so the message stays within Block Kit's 50 blocks and 3,000
/// characters a section, saying how many more there are.
enum JobsMessage {
    static let deadShown = 10
    static let pendingShown = 20

    static func make(dead: (jobs: [ScheduledJob], total: Int), pending: (jobs: [ScheduledJob], total: Int)) -> Message {
        let summary = "Jobs: \(dead.total) dead, \(pending.total) pending"
        return Message(summary) {
            Block.header("⚙️ " + summary)
            if dead.total == 0 { Block.section("No dead jobs: nothing has failed for good.", blockID: "no_dead") }
            // A dead job spent every attempt; Retry queues it again with a fresh set of attempts.
            for job in dead.jobs.prefix(deadShown) {
                Block.section(
                    SlackText.truncated(
                        "⚠️ *Gave up:* `\(job.plugin)` `\(job.name)` (job \(job.id)) after \(job.attempts) attempt\(job.attempts == 1 ? "" : "s")"
                            + (job.lastError.map { " — \(SlackText.escaped(SlackText.truncated($0, to: 300)))" } ?? ""),
                        to: BlockKitLimits.sectionText),
                    accessory: .button("Retry", actionID: ActionID.retryAnyJob.wire, value: String(job.id)),
                    blockID: "dead_job_\(job.id)")
            }
            if dead.total > min(dead.jobs.count, deadShown) {
                Block.section("…and \(dead.total - min(dead.jobs.count, deadShown)) more dead. `casebook jobs list --state dead` lists them all.",
                              blockID: "more_dead")
            }
            Block.section(pendingText(pending), blockID: "pending")
        }
    }

    private static func pendingText(_ pending: (jobs: [ScheduledJob], total: Int)) -> String {
        guard pending.total > 0 else { return "*Pending:* none." }
        let shown = pending.jobs.prefix(pendingShown)
        var lines = shown.map { job in
            "• `\(job.plugin)` `\(job.name)` (job \(job.id)) due \(SlackText.date(job.runAt))"
                + (job.attempts > 0 ? ", \(job.attempts) attempt\(job.attempts == 1 ? "" : "s") so far" : "")
        }
        if pending.total > shown.count { lines.append("…and \(pending.total - shown.count) more pending.") }
        return SlackText.truncated("*Pending:*\n" + lines.joined(separator: "\n"), to: BlockKitLimits.sectionText)
    }
}
