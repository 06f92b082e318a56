import CasebookKit
import Postmortem

/// Posting the page's link: in the case channel once, and in the RCA channel once it exists. The
/// roles plugin opens the RCA channel in its own reaction to the resolve, which may come after the
/// page, so a short follow-up job waits for it.
extension ConfluenceRCAPlugin {
    static let announceInRCAChannel = JobKey<String>("announce_rca_channel")
    /// How long after the page the RCA channel is looked for again (then with the job runner's backoff).
    static let rcaChannelDelay: TimeInterval = 15

    static func linkMessage(_ page: RCAPage) -> Message {
        let title = SlackText.escaped(page.title)
        return Message("📝 RCA page: \(page.url)") {
            Block.section("📝 *RCA page* in Confluence: <\(page.url)|\(title)>\nFill in the impact, root cause and actions there.")
        }
    }

    /// Posts what is not posted yet; throws (so the call is retried) when Slack did not take it.
    func announce(_ page: RCAPage, channelID: String, _ context: PluginContext) async throws {
        let caseID = page.caseID
        if page.announcedAt == nil {
            guard await context.announce(Self.linkMessage(page), in: channelID) != nil else {
                throw IntegrationError(integration: "Slack", kind: .transport("the RCA page link was not posted"), retryable: true)
            }
            let now = context.clock.now()
            _ = try await context.storage.transaction { tx in try await RCAPageStore.markAnnounced(caseID: caseID, at: now, on: tx.sql) }
        }
        guard page.rcaChannelAnnouncedAt == nil else { return }
        let details = await context.extensions.collect(PostmortemSources.incidentDetails, caseID, logger: context.logger).flatMap { $0 }.first
        if let rcaChannel = details?.rcaChannel {
            try await announceInRCAChannel(page, channel: rcaChannel, context)
        } else if details?.opensRCAChannel == true {
            let at = context.clock.now().addingTimeInterval(Self.rcaChannelDelay)
            try await context.jobs.schedule(Self.announceInRCAChannel, caseID, at: at, dedupeKey: "rca-channel:\(caseID)")
        }
    }

    /// The follow-up: the RCA channel's link once the roles plugin has opened it.
    func announceInRCAChannelJob(_ caseID: String, _ context: PluginContext) async throws {
        guard let page = try await context.storage.read({ db in try await RCAPageStore.find(caseID: caseID, on: db) }),
              page.rcaChannelAnnouncedAt == nil
        else { return }
        let details = await context.extensions.collect(PostmortemSources.incidentDetails, caseID, logger: context.logger).flatMap { $0 }.first
        guard let channel = details?.rcaChannel else {
            guard details?.opensRCAChannel == true else { return }
            throw IntegrationError(integration: "Slack", kind: .rejected("the RCA channel is not open yet"), retryable: true)
        }
        try await announceInRCAChannel(page, channel: channel, context)
    }

    func announceInRCAChannel(_ page: RCAPage, channel: String, _ context: PluginContext) async throws {
        guard await context.announce(Self.linkMessage(page), in: channel) != nil else {
            throw IntegrationError(integration: "Slack", kind: .transport("the RCA page link was not posted in the RCA channel"), retryable: true)
        }
        let caseID = page.caseID
        let now = context.clock.now()
        _ = try await context.storage.transaction { tx in try await RCAPageStore.markRCAChannelAnnounced(caseID: caseID, at: now, on: tx.sql) }
    }
}
