// The example of the README's "Writing an integration plugin" section. It lives in the tests so it
// always compiles and its behaviour is checked (EscalationWebhookTests.swift).
import CasebookKit
import CasesPlugin

/// Posts every escalation to a webhook (a chat room, an automation) as `{"text": …}`. The call is
/// a durable integration call: the escalation commits first, the POST follows, is retried through
/// outages, and a final failure is told to the case channel once, with a Retry button.
struct EscalationWebhook: Plugin {
    struct Configuration: Decodable, Sendable {
        /// Where to POST, e.g. `${ESCALATION_WEBHOOK_URL}`; `enabled: auto` needs it set.
        var url: String
    }

    struct Post: Codable, Sendable { var caseID: String, text: String }

    static let id = "escalation_webhook"
    static let summary = "Posts escalations to a webhook"
    static var requirements: Requirements {
        Requirements(scopes: ["chat:write"], dependencies: [CasesPlugin.id], requiredConfigKeys: ["url"])
    }
    static let post = IntegrationCall<Post>("post", service: "Escalation webhook")

    let configuration: Configuration
    init(configuration: Configuration, context: PluginContext) async throws { self.configuration = configuration }

    func register(_ routes: inout Routes<Self>) {
        routes.subscribe(CaseEscalated.self, use: EscalationWebhook.escalated)
        routes.integration(Self.post, use: EscalationWebhook.send)
    }

    /// Delivered at least once: the delivery log makes a repeated event queue nothing.
    func escalated(_ event: CaseEscalated, _ context: PluginContext) async throws {
        let item = event.case
        let post = Post(caseID: item.id, text: "\(item.title) is now an incident, commander <@\(item.commander ?? "")>")
        let notice = FailureNotice(
            channel: item.channelID, subject: item.id, action: "post the escalation to the webhook",
            fix: "check `plugins.escalation_webhook.config.url`")
        let escalatedAt = item.escalatedAt?.timeIntervalSince1970 ?? 0
        try await context.storage.transaction { tx in
            guard try await tx.deliveries.firstSeen("escalated:\(item.id):\(escalatedAt)") else { return }
            try await tx.jobs.enqueue(Self.post, post, notice: notice, at: context.clock.now())
        }
    }

    /// Throws to retry; the receiver dedupes on the Idempotency-Key, so a retry posts once.
    func send(_ post: Post, _ context: PluginContext) async throws {
        let request = OutboundRequest.json(
            .post, configuration.url, integration: "Escalation webhook", body: ["text": .string(post.text)],
            headers: ["Idempotency-Key": "escalated-\(post.caseID)"], retry: .safe)
        _ = try await context.http.send(request)
        try await context.audit.record(actor: "casebook", action: "escalation_webhook.posted", subject: post.caseID, details: [:])
    }
}
