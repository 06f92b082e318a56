import CasebookKit

/// The Slack steps that follow the commit of a close: the final summary, then — once it is
/// there — the channel's archive. (The summary's refresh is the idempotent `refresh_messages` job.) Done by the closing
/// request at once; the job `close_war_room`, scheduled with the close, completes what that
/// attempt did not confirm.
extension CasesPlugin {
    struct CloseOut: Codable, Sendable, Equatable {
        /// The case right after it was closed.
        var `case`: Case
    }

    static let closeWarRoom = JobKey<CloseOut>("close_war_room")

    static func closeKey(_ caseID: String) -> String { "close:\(caseID)" }

    /// The final summary.
    func closingSteps(_ closed: Case, _ context: PluginContext) -> [SideEffect] {
        let now = closed.closedAt ?? context.clock.now()
        return [
            SideEffect(step: "close.final", what: "post the final summary") {
                do {
                    return try await context.slack.postMessage(channel: closed.channelID, Self.finalSummary(closed, now: now))
                } catch let error as SlackAPIError where error.code == "is_archived" {
                    return nil  // archived by hand meanwhile: nothing left to say there
                }
            },
        ]
    }

    /// Last, so the final summary is posted before the channel is read-only.
    func archiveStep(_ closed: Case, _ context: PluginContext) -> SideEffect {
        SideEffect(step: "close.archive", what: "archive this channel") {
            try await context.slack.archive(channel: closed.channelID)
            return nil
        }
    }

    func closeWarRoomJob(_ plan: CloseOut, _ context: PluginContext) async throws {
        try await complete(closingSteps(plan.case, context), of: plan.case, context)
        try await complete([archiveStep(plan.case, context)], of: plan.case, context)
    }
}
