import CasebookKit
import CasesPlugin
import Postmortem

extension LinearPostmortemPlugin {
    /// Create the postmortem issue of a case (the rest is in the case's record).
    struct CreateIssue: Codable, Sendable, Equatable {
        var caseID: String
        /// How many times Linear's rate limit postponed this call (bounded, so it cannot loop forever).
        var postponed: Int
        /// How many times the call waited for the roles plugin's RCA channel.
        var waitedForRCA: Int

        init(caseID: String, postponed: Int = 0, waitedForRCA: Int = 0) {
            self.caseID = caseID
            self.postponed = postponed
            self.waitedForRCA = waitedForRCA
        }

        // Hand-written because synthesized Decodable ignores property defaults.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            caseID = try container.decode(String.self, forKey: .caseID)
            postponed = try container.decodeIfPresent(Int.self, forKey: .postponed) ?? 0
            waitedForRCA = try container.decodeIfPresent(Int.self, forKey: .waitedForRCA) ?? 0
        }
    }

    static let createIssue = IntegrationCall<CreateIssue>("create_issue", service: LinearAPI.service)
    /// Postponements for `RATELIMITED` before the call falls back on the runner's backoff.
    static let maxPostponements = 24
    /// The roles plugin opens the RCA channel on the same resolve; the call waits for it this long,
    /// at most ``maxRCAWaits`` times, so the issue links it and the RCA channel hears about the issue.
    static let rcaWait: TimeInterval = 5
    static let maxRCAWaits = 3

    /// What asking for a case's postmortem issue did.
    enum Requested: Equatable {
        /// The call is queued (or was already); the channel will hear.
        case queued
        /// The case has its issue already.
        case exists(PostmortemRecord)
    }

    /// Records the request — the issue's id is chosen here, once per case — and queues the call in
    /// the same transaction; a case whose issue exists gets nothing new.
    func requestIssue(caseID: String, channelID: String, by user: String, _ context: PluginContext) async throws -> Requested {
        let now = context.clock.now()
        let notice = Self.notice(caseID: caseID, channelID: channelID)
        return try await context.storage.transaction { tx in
            let record = try await PostmortemStore.request(
                caseID: caseID, channelID: channelID, by: user, issueID: UUID().uuidString.lowercased(), at: now, on: tx.sql)
            if let record, record.isCreated { return .exists(record) }
            try await tx.jobs.enqueue(Self.createIssue, CreateIssue(caseID: caseID), notice: notice, dedupeKey: "issue:\(caseID)", at: now)
            return .queued
        }
    }

    static func notice(caseID: String, channelID: String) -> FailureNotice {
        FailureNotice(
            channel: channelID, subject: caseID, action: "create the postmortem issue in Linear",
            fix: "check `plugins.linear.config` — `api_key` (a personal API key), `team_id` (the team's UUID), `project_id` and `label_ids`")
    }

    /// The call: read the issue back if an earlier attempt may have created it, else create it
    /// with the id chosen at the request, so no retry, redelivery or restart makes a second one.
    /// `RATELIMITED` postpones the call to the reset Linear's headers give.
    func createIssueJob(_ call: CreateIssue, _ context: PluginContext) async throws {
        guard let record = try await context.storage.read({ db in try await PostmortemStore.find(caseID: call.caseID, on: db) }),
              !record.isCreated
        else { return }
        let api = LinearAPI(configuration, http: context.http)
        let document = try await document(of: record.caseID, context)
        // The RCA channel is opened on resolve; before it, there is nothing to wait for.
        if document.rcaChannelExpected, document.resolvedAt != nil, call.waitedForRCA < Self.maxRCAWaits {
            let next = CreateIssue(caseID: call.caseID, postponed: call.postponed, waitedForRCA: call.waitedForRCA + 1)
            let at = context.clock.now().addingTimeInterval(Self.rcaWait)
            let notice = Self.notice(caseID: record.caseID, channelID: record.channelID)
            try await context.storage.transaction { tx in
                try await tx.jobs.enqueue(Self.createIssue, next, notice: notice, dedupeKey: "issue:\(record.caseID)", at: at)
            }
            return
        }
        let link: LinearAPI.IssueLink
        do {
            if record.attemptedAt != nil, let earlier = try await api.issue(id: record.issueID) {
                link = earlier
            } else {
                let issue = newIssue(for: record, document, context)
                let now = context.clock.now()
                try await context.storage.transaction { tx in try await PostmortemStore.recordAttempt(caseID: record.caseID, at: now, on: tx.sql) }
                link = try await createOrAdopt(issue, api)
            }
        } catch let error as LinearError where error.isRateLimited {
            try await postpone(call, record, until: error.resetAt, context)
            return
        } catch let error as IntegrationError where error.status == 429 {
            try await postpone(call, record, until: LinearError.reset(error.headers), context)
            return
        } catch let error as LinearError {
            try await recordError(record, error.integrationError.reason, context)
            throw error.integrationError
        } catch {
            try await recordError(record, (error as? IntegrationError)?.reason ?? "\(error)", context)
            throw error
        }
        // Read afresh: the roles plugin opens the RCA channel on the same resolve, maybe after the document was read.
        let rca = await rcaChannel(of: record.caseID, context) ?? document.rcaChannel?.id
        try await created(record, link, rcaChannel: rca, context)
    }

    /// Creates the issue; when Linear refuses the id as taken, the issue is the one an earlier
    /// attempt created (its answer was lost), and it is adopted.
    private func createOrAdopt(_ issue: LinearAPI.NewIssue, _ api: LinearAPI) async throws -> LinearAPI.IssueLink {
        do {
            return try await api.create(issue)
        } catch let error as LinearError where error.type == "invalid input" {
            if let existing = try await api.issue(id: issue.id) { return existing }
            throw error
        }
    }

    /// Queues the call again at Linear's reset (at least a second away, at most an hour).
    private func postpone(_ call: CreateIssue, _ record: PostmortemRecord, until reset: Date?, _ context: PluginContext) async throws {
        guard call.postponed < Self.maxPostponements else {
            throw IntegrationError(integration: LinearAPI.service, kind: .rejected("Linear's rate limit was still reached after many waits"), retryable: true)
        }
        let now = context.clock.now()
        let at = min(max(reset ?? now.addingTimeInterval(60), now.addingTimeInterval(1)), now.addingTimeInterval(3_600))
        let next = CreateIssue(caseID: call.caseID, postponed: call.postponed + 1, waitedForRCA: call.waitedForRCA)
        let notice = Self.notice(caseID: record.caseID, channelID: record.channelID)
        try await context.storage.transaction { tx in
            try await PostmortemStore.recordError(caseID: record.caseID, error: "rate-limited by Linear; trying again \(SlackText.utc(at))", on: tx.sql)
            try await tx.jobs.enqueue(Self.createIssue, next, notice: notice, dedupeKey: "issue:\(record.caseID)", at: at)
        }
        context.logger.notice("Linear rate-limited the postmortem issue; trying again at its reset", metadata: [
            "case": "\(record.caseID)", "retry_at": "\(SlackText.utc(at))",
        ])
    }

    private func recordError(_ record: PostmortemRecord, _ reason: String, _ context: PluginContext) async throws {
        try? await context.storage.transaction { tx in try await PostmortemStore.recordError(caseID: record.caseID, error: reason, on: tx.sql) }
    }

    /// The issue exists: keep its identifier and link, put it on the timeline, and tell the case
    /// channel (and the RCA channel, when there is one).
    private func created(_ record: PostmortemRecord, _ link: LinearAPI.IssueLink, rcaChannel: String?, _ context: PluginContext) async throws {
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await PostmortemStore.recordCreated(caseID: record.caseID, identifier: link.identifier, url: link.url, at: now, on: tx.sql)
            try await tx.audit.record(
                actor: "casebook", action: "linear.postmortem_created", subject: record.caseID,
                details: .object([
                    PostmortemDocument.timelineSummaryKey: .string("Postmortem issue created: \(link.identifier)"),
                    "identifier": .string(link.identifier), "url": .string(link.url), "issue_id": .string(link.id),
                ]))
        }
        context.logger.info("Linear postmortem issue created", metadata: ["case": "\(record.caseID)", "issue": "\(link.identifier)"])
        let text = "📝 Postmortem issue created in Linear: <\(link.url)|\(SlackText.escaped(link.identifier))>"
        await context.announce(Message(text), in: record.channelID)
        if let rca = rcaChannel, rca != record.channelID {
            await context.announce(Message(text), in: rca)
        }
    }
}
