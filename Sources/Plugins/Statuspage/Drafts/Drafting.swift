import CasebookKit
import CasesPlugin

/// Writing a draft: `/case statuspage` or the control panel's "Status page" button opens the modal
/// (prefilled from the case and what was published before), Edit reopens it for a draft, and a
/// submission proposes the draft to the gate (or revises it) and posts it in the case channel.
/// Nothing here talks to Statuspage except the component list, fetched by a job after the modal
/// is open.
extension StatuspagePlugin {
    /// Fills an open draft modal with the page's components.
    struct FillComponents: Codable, Sendable, Equatable {
        var viewID: String
        var subject: DraftModal.Subject
        var draft: Draft
    }

    static let fillComponents = JobKey<FillComponents>("fill_components")
    /// How long the modal waits for Statuspage's component list before it says it has none.
    static let componentsDeadline: Duration = .seconds(3)

    func draftCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: command.channelID, context)
        try await openModal(try await newDraft(for: item, context), subject: .init(caseID: item.id, approvalID: nil), trigger: command.triggerID, context)
        return .ack
    }

    func draftButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", context)
        try await openModal(try await newDraft(for: item, context), subject: .init(caseID: item.id, approvalID: nil), trigger: action.triggerID, context)
        return .ack
    }

    func editButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        guard let id = action.value, let approval = try await context.approvals.approval(id) else {
            return .ephemeral(GateOutcome.Refusal.notFound.message)
        }
        switch approval.state {
        case .executed: return .ephemeral("This draft is published already; start a new one with `\(context.usage("statuspage"))`.")
        case .discarded, .rejected: return .ephemeral("This draft was discarded; start a new one with `\(context.usage("statuspage"))`.")
        case .pending, .approved: break
        }
        let draft = try Draft(approval)
        try await openModal(draft, subject: .init(caseID: approval.subject, approvalID: id), trigger: action.triggerID, context)
        return .ack
    }

    /// Opens the modal now, components loading, and leaves the listing to a job.
    func openModal(_ draft: Draft, subject: DraftModal.Subject, trigger: String?, _ context: PluginContext) async throws {
        guard let trigger else { throw UserFacingError("Slack sent this without a trigger, so no modal can open; try again.") }
        let viewID = try await context.slack.openView(triggerID: trigger, DraftModal.make(draft, subject: subject, components: .loading))
        try await context.jobs.schedule(Self.fillComponents, FillComponents(viewID: viewID, subject: subject, draft: draft), at: context.clock.now())
    }

    /// Lists the components (bounded) and shows them in the modal; a failure shows a note instead.
    /// Never retried: the person is waiting now, not later.
    func fillComponentsJob(_ fill: FillComponents, _ context: PluginContext) async throws {
        let components: DraftModal.Components
        do {
            let listed = try await api(context).components(deadline: Self.componentsDeadline)
            let now = context.clock.now()
            try await context.storage.transaction { tx in try await StatuspageStore.replaceComponents(listed, at: now, on: tx.sql) }
            components = .listed(listed)
        } catch let error as IntegrationError {
            context.logger.warning("Statuspage components not listed", metadata: ["error": "\(error)"])
            components = .unavailable(error.reason)
        } catch {
            components = .unavailable("\(type(of: error))")
        }
        do {
            try await context.slack.updateView(id: fill.viewID, DraftModal.make(fill.draft, subject: fill.subject, components: components))
        } catch {
            context.logger.info("draft modal not updated (closed or submitted already)", metadata: ["error": "\(error)"])
        }
    }

    /// A new draft for the case: the name and components published before, or the case title.
    func newDraft(for item: Case, _ context: PluginContext) async throws -> Draft {
        let published = try await context.storage.read { db in try await StatuspageStore.incident(caseID: item.id, on: db) }
        return Draft(
            caseID: item.id, channelID: item.channelID,
            name: published?.incident.name ?? String(item.title.prefix(Draft.maximumName)),
            status: published.flatMap { Draft.Status(rawValue: $0.incident.status) } ?? .investigating, body: "",
            components: published?.draft.components ?? [:], componentNames: published?.draft.componentNames ?? [:],
            deliverNotifications: configuration.deliverNotifications)
    }

    func submitDraft(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply {
        guard let subject = DraftModal.Subject(submission.privateMetadata), let item = await CaseDirectory(context: context).case(id: subject.caseID)
        else { return .viewErrors([DraftModal.nameBlock: "This case no longer exists."]) }
        let known = try await context.storage.read { db in try await StatuspageStore.components(on: db) }
        var draft: Draft
        switch DraftModal.draft(from: submission, caseID: item.id, channelID: item.channelID, known: known) {
        case .failure(let invalid): return .viewErrors(invalid.errors)
        case .success(let written): draft = written
        }
        guard let approvalID = subject.approvalID else {
            try await propose(draft, for: item, by: submission.userID, context)
            return .ack
        }
        guard let previous = try await context.approvals.approval(approvalID) else {
            return .viewErrors([DraftModal.nameBlock: GateOutcome.Refusal.notFound.message])
        }
        // A modal whose components could not be listed keeps the draft's.
        if !submission.values.keys.contains(where: { $0.hasPrefix(DraftModal.componentPrefix) }), let old = try? Draft(previous) {
            draft.components = old.components
            draft.componentNames = old.componentNames
        }
        let outcome = try await context.approvals.revise(approvalID, payload: try draft.payload, by: submission.userID)
        guard case .done(let revised) = outcome else {
            return .viewErrors([DraftModal.nameBlock: outcome.refusal?.message ?? "The draft could not be changed."])
        }
        await showDraft(revised, context)
        return .ack
    }

    /// Proposes a draft to the gate and posts it in the case channel.
    @discardableResult
    func propose(_ draft: Draft, for item: Case, by user: String, _ context: PluginContext) async throws -> Approval {
        let approval = try await context.approvals.propose(
            Proposal(kind: Draft.kind, subject: item.id, payload: try draft.payload, approvers: configuration.approvers), by: user)
        let now = context.clock.now()
        let record = DraftRecord(approvalID: approval.id, caseID: item.id, channelID: item.channelID, messageTS: nil)
        try await context.storage.transaction { tx in try await StatuspageStore.insertDraft(record, at: now, on: tx.sql) }
        await showDraft(approval, context)
        return approval
    }

    func discardButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        guard let id = action.value else { return .ephemeral(GateOutcome.Refusal.notFound.message) }
        let outcome = try await context.approvals.discard(id, by: action.userID)
        guard case .done(let discarded) = outcome else { return .ephemeral(outcome.refusal?.message ?? "The draft could not be discarded.") }
        await showDraft(discarded, discardedBy: action.userID, context)
        return .ack
    }

    /// Posts the draft's message the first time, updates it in place afterwards, showing where the
    /// approval stands now. A click and the publish job may both update it: after each update the
    /// approval is read again and, if it moved on meanwhile, shown again, so the last word is the
    /// latest state whatever order the updates reached Slack in.
    func showDraft(_ approval: Approval, failure: String? = nil, discardedBy: String? = nil, _ context: PluginContext) async {
        do {
            var shown = approval
            for _ in 0..<3 {
                try await render(shown, failure: failure, discardedBy: discardedBy, context)
                guard let now = try await context.approvals.approval(approval.id), now.state != shown.state || now.contentHash != shown.contentHash
                else { return }
                shown = now
            }
        } catch {
            context.logger.warning("draft message not shown", metadata: ["approval": "\(approval.id)", "error": "\(error)"])
        }
    }

    private func render(_ approval: Approval, failure: String?, discardedBy: String?, _ context: PluginContext) async throws {
        let draft = try Draft(approval)
        let approvers = await Approvers.resolve(approval.approvers, caseID: approval.subject, context)
        let message = DraftMessage.make(draft, approval, approvers: approvers.description, stage: stage(of: approval, failure: failure, discardedBy: discardedBy))
        let id = approval.id
        let record = try await context.storage.read { db in try await StatuspageStore.draft(approvalID: id, on: db) }
        if let record, let ts = record.messageTS {
            try await context.slack.updateMessage(MessageRef(channel: record.channelID, ts: ts), message)
            return
        }
        let ref = try await context.slack.postMessage(channel: draft.channelID, message)
        let stored = DraftRecord(approvalID: id, caseID: approval.subject, channelID: ref.channel, messageTS: ref.ts)
        let now = context.clock.now()
        try await context.storage.transaction { tx in try await StatuspageStore.insertDraft(stored, at: now, on: tx.sql) }
    }

    /// What the message says about an approval in this state.
    func stage(of approval: Approval, failure: String?, discardedBy: String?) -> DraftMessage.Stage {
        switch approval.state {
        case .pending: return .awaitingApproval
        case .approved: return failure.map(DraftMessage.Stage.failed) ?? .publishing
        case .executed:
            let incident = try? approval.result?.decode(as: PublishedIncident.self)
            return .published(link: incident?.shortlink ?? configuration.publicURL, at: approval.executedAt ?? approval.updatedAt)
        case .discarded, .rejected: return .discarded(by: discardedBy)
        }
    }

    /// The case of the channel, which must be an incident (escalated, or resolved and still open).
    func incidentCase(inChannel channel: String, _ context: PluginContext) async throws -> Case {
        guard let item = await CaseDirectory(context: context).case(inChannel: channel) else {
            throw UserFacingError("Run `\(context.usage("statuspage"))` inside the channel of an incident.")
        }
        switch item.status {
        case .investigating: throw UserFacingError("This investigation is not an incident; `\(context.usage("incident"))` escalates it first.")
        case .closed: throw UserFacingError("This case is closed.")
        case .escalated, .resolved: return item
        }
    }

    func api(_ context: PluginContext) -> StatuspageAPI { StatuspageAPI(configuration, http: context.http) }
}
