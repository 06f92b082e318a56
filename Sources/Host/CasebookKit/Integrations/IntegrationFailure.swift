/// What happens when an integration call's handler throws: retry quietly while a retry can help,
/// and on the final failure tell the case channel once, put it on the timeline, and stop.
enum IntegrationFailure {
    static func handle(
        _ error: any Error, service: String, notice: FailureNotice?, context: PluginContext
    ) async throws -> Never {
        let integrationError = error as? IntegrationError
        let permanent = error is PermanentJobFailure || integrationError.map { !$0.retryable } == true
        let execution = JobExecution.current
        let last = permanent || (execution?.isLastAttempt ?? true)
        guard last else { throw error }

        let reason = integrationError?.reason ?? (error as? PermanentJobFailure)?.reason ?? "\(error)"
        context.logger.error("integration call failed for good", metadata: [
            "service": "\(service)", "error": "\(reason)", "attempts": "\(execution?.attempt ?? 1)",
        ])
        if let notice {
            let message = failureMessage(service: service, reason: reason, notice: notice, permanent: permanent, execution: execution, context: context)
            await context.announce(message, in: notice.channel)
            try? await context.audit.record(
                actor: "casebook", action: "\(context.pluginID).call_failed", subject: notice.subject,
                details: ["service": .string(service), "action": .string(notice.action), "error": .string(reason),
                          "attempts": .number(Double(execution?.attempt ?? 1))])
        }
        if permanent { throw PermanentJobFailure("\(service): \(reason)") }
        throw error
    }

    static func failureMessage(
        service: String, reason: String, notice: FailureNotice, permanent: Bool, execution: JobExecution?, context: PluginContext
    ) -> Message {
        let what = "*\(service)*: Casebook could not \(notice.action) — \(reason)."
        let next: String
        if permanent {
            next = (notice.fix.map { "To fix it: \($0), then press Retry." } ?? "Retrying will not help until that is fixed; then press Retry.")
        } else {
            next = "It was tried \(execution?.attempt ?? 1) times; press Retry once \(service) is reachable again."
        }
        var blocks: [Block] = [.section(":warning: \(what)\n\(next)")]
        if let execution {
            blocks.append(.actions([
                .button("Retry", actionID: IntegrationRetry.actionID(plugin: context.pluginID), value: String(execution.jobID)),
            ]))
        }
        return Message("\(service): could not \(notice.action) — \(reason)", blocks: blocks)
    }
}

/// The Retry button under a failure notice: puts the dead job back in the queue.
enum IntegrationRetry {
    static func actionID(plugin: String) -> String { "\(plugin).retry_call" }

    static func handle(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        guard let value = action.value, let jobID = Int64(value) else { return .ephemeral("This button does not name a job.") }
        guard try await context.jobs.retry(jobID: jobID) else {
            return .ephemeral("That call is not waiting for a retry any more: it was retried already or has succeeded.")
        }
        try? await context.audit.record(
            actor: action.userID, action: "\(context.pluginID).call_retried", subject: "job:\(jobID)", details: ["job": .number(Double(jobID))])
        return .replaceOriginal(Message("<@\(action.userID)> asked to try again; Casebook is retrying now.") {
            Block.section(":arrows_counterclockwise: <@\(action.userID)> asked to try again; Casebook is retrying now.")
        })
    }
}

extension Routes {
    /// Handles a durable integration call (see ``IntegrationCall``). The handler throws to retry:
    /// an ``IntegrationError`` that is not retryable, or a ``PermanentJobFailure``, ends it at once;
    /// anything else is retried until ``IntegrationCalls/maxAttempts``. Registers the plugin's
    /// Retry button (`<plugin>.retry_call`) too.
    public mutating func integration<Payload, Context: RouteContext>(
        _ call: IntegrationCall<Payload>, use method: @escaping Method<Payload, Void, Context>
    ) {
        job(JobKey<JSONValue>(call.name), use: { (plugin: P) in { (json: JSONValue, invocation: InvocationContext) in
            let ticket = try json.decode(as: IntegrationTicket<Payload>.self)
            let context = invocation.plugin
            do {
                try await method(plugin)(ticket.call, Context(invocation: invocation))
                context.metrics.integrationCall(call.service, outcome: .succeeded)
            } catch {
                do {
                    try await IntegrationFailure.handle(error, service: call.service, notice: ticket.notice, context: context)
                } catch let thrown as PermanentJobFailure {
                    context.metrics.integrationCall(call.service, outcome: .dead)
                    throw thrown
                } catch {
                    let last = JobExecution.current?.isLastAttempt ?? true
                    context.metrics.integrationCall(call.service, outcome: last ? .dead : .retried)
                    throw error
                }
            }
        } })
        let retry = IntegrationRetry.actionID(plugin: P.id)
        if !all.contains(where: { $0.kind == .blockAction && $0.id == retry }) {
            blockAction(retry) { _, action, context in try await IntegrationRetry.handle(action, context) }
        }
    }

    public mutating func integration<Payload>(_ call: IntegrationCall<Payload>, _ handler: @escaping Handler<Payload, Void>) {
        integration(call, use: Self.method(handler))
    }
}
