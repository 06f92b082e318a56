import CasebookKit

/// One Slack step that follows a committed case change (an invitation, the topic, a message, the
/// archive). It is done at most once per case: as soon as Slack confirms it, its `step` is recorded
/// in `cases_side_effects` (with the message it posted), and whoever completes the change later —
/// the durable job after a crash or a failure — skips recorded steps.
///
/// A message is posted again only when nothing was recorded for it: the attempt failed, or its
/// outcome is unknown (a timeout or a 5xx after the request may have reached Slack, or a crash in
/// the instant between Slack's answer and the record). Casebook has no `*:history` scope to look
/// for its own message, so after such an ambiguous failure a message can appear twice; never more
/// than once per ambiguous failure, and never after a confirmed post.
struct SideEffect: Sendable {
    /// Unique within the case, e.g. `open.summary`.
    var step: String
    /// What it does, in words for the warning posted when it fails for good ("post the summary").
    var what: String
    var run: @Sendable () async throws -> MessageRef?
}

/// Some steps of a case change are not done yet; the job runs again with backoff.
struct SideEffectsIncomplete: Error, CustomStringConvertible {
    var failures: [(what: String, error: any Error)]
    var description: String { failures.map { "could not \($0.what) (\($0.error))" }.joined(separator: "; ") }
}

/// The request's own attempt ran out of time; the durable job finishes the step.
struct SideEffectBudgetSpent: Error, CustomStringConvertible {
    var description: String { "Slack did not answer in time; I will keep trying" }
}

extension CasesPlugin {
    /// How long the request that made a change keeps trying its Slack steps itself. Shorter than
    /// ``sideEffectHandoff``, so the request and the job never work on one step at the same time.
    static let sideEffectBudget: Duration = .seconds(20)
    /// When the durable job scheduled with a change takes over what its request did not confirm
    /// (the process died). A request that finishes earlier cancels the job, or moves it to now
    /// when a step failed.
    static let sideEffectHandoff: TimeInterval = 30

    /// Runs the steps not in `done` concurrently, recording each as soon as Slack confirms it.
    /// Results are in the order given (`.success(nil)` for a step that was already done). With a
    /// `budget`, steps still running when it is spent are cancelled and reported as failed.
    func perform(
        _ effects: [SideEffect], caseID: String, done: Set<String> = [], budget: Duration? = nil, _ context: PluginContext
    ) async -> [Result<MessageRef?, any Error>] {
        await withTaskGroup(of: (Int, Result<MessageRef?, any Error>).self) { group in
            var pending = 0
            for (index, effect) in effects.enumerated() where !done.contains(effect.step) {
                pending += 1
                group.addTask {
                    let result = await attempt { try await effect.run() }
                    if case .success(let ref) = result { await self.record(effect.step, ref, caseID: caseID, context) }
                    return (index, result)
                }
            }
            if let budget, pending > 0 {
                group.addTask {
                    try? await Task.sleep(for: budget)
                    return (-1, .failure(SideEffectBudgetSpent()))
                }
            }
            var results = [Result<MessageRef?, any Error>](repeating: .success(nil), count: effects.count)
            var outOfTime = false
            while pending > 0, case let (index, result)? = await group.next() {
                if index < 0 {
                    // Out of time: whatever is still in flight is left to the job.
                    outOfTime = true
                    group.cancelAll()
                    continue
                }
                if outOfTime, case .failure = result {
                    results[index] = .failure(SideEffectBudgetSpent())
                } else {
                    results[index] = result
                }
                pending -= 1
            }
            group.cancelAll()
            return results
        }
    }

    /// Records a confirmed step. A failure here is only logged: the step did happen, and the job
    /// that repeats unrecorded steps is the lesser evil next to telling people it failed.
    private func record(_ step: String, _ ref: MessageRef?, caseID: String, _ context: PluginContext) async {
        let now = context.clock.now()
        do {
            try await context.storage.read { db in try await SideEffectStore.record(caseID: caseID, step: step, message: ref, at: now, on: db) }
        } catch {
            context.logger.error("a done step was not recorded", metadata: ["case": "\(caseID)", "step": "\(step)", "error": "\(error)"])
        }
    }

    /// After the request's own attempt: cancels the job when every step is done, otherwise moves it
    /// to now so it retries what failed at once (with the job runner's backoff after that).
    func settle<P: Codable & Sendable>(
        _ results: [Result<MessageRef?, any Error>], job: JobKey<P>, _ payload: P, dedupeKey: String, caseID: String, _ context: PluginContext
    ) async {
        let complete = results.allSatisfy { if case .success = $0 { return true } else { return false } }
        do {
            if complete {
                try await context.jobs.cancel(dedupeKey: dedupeKey)
            } else {
                try await context.jobs.schedule(job, payload, at: context.clock.now(), dedupeKey: dedupeKey)
            }
        } catch {
            // The job scheduled with the change runs at its hand-off time anyway.
            context.logger.warning("side-effect job not adjusted", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
    }

    /// The job's part: the steps not recorded yet. Throws when some still fail, so the runner tries
    /// again with backoff; on the last attempt the failures are first posted in the case channel,
    /// once, in words.
    func complete(_ effects: [SideEffect], of item: Case, _ context: PluginContext) async throws {
        let caseID = item.id
        let done = try await context.storage.read { db in try await SideEffectStore.done(caseID: caseID, on: db) }
        let results = await perform(effects, caseID: caseID, done: done, context)
        let failures = zip(effects, results).compactMap { effect, result -> (what: String, error: any Error)? in
            if case .failure(let error) = result { return (effect.what, error) }
            return nil
        }
        guard !failures.isEmpty else { return }
        if JobExecution.current?.isLastAttempt ?? false {
            let lines = failures.map { "• I could not \($0.what) (\($0.error))." }
            await announce(Message((["⚠️ After several tries:"] + lines + ["Please do it by hand."]).joined(separator: "\n")), in: item.channelID, context)
        }
        throw SideEffectsIncomplete(failures: failures)
    }

    /// Schedules the refresh of the summary and the notification with a change, due at the
    /// hand-off, so a crash right after the commit still brings them up to date.
    static func scheduleRefresh(_ caseID: String, at now: Date, in tx: Transaction) async throws {
        try await tx.jobs.schedule(
            refreshMessages, RefreshMessages(caseID: caseID), at: now.addingTimeInterval(sideEffectHandoff), dedupeKey: "refresh:\(caseID)")
    }

    /// The request's own refresh after a change: cancels the scheduled one when it worked, or
    /// moves it to now when it did not.
    func refreshAfterChange(_ item: Case, _ context: PluginContext) async {
        let key = "refresh:\(item.id)"
        do {
            do {
                try await updateMessages(item, context)
            } catch {
                context.logger.warning("case messages not updated; retrying as a job", metadata: ["case": "\(item.id)", "error": "\(error)"])
                try await context.jobs.schedule(Self.refreshMessages, RefreshMessages(caseID: item.id), at: context.clock.now(), dedupeKey: key)
                return
            }
            try await context.jobs.cancel(dedupeKey: key)
        } catch {
            // The refresh scheduled with the change runs at its hand-off time anyway.
            context.logger.warning("message refresh job not adjusted", metadata: ["case": "\(item.id)", "error": "\(error)"])
        }
    }
}
