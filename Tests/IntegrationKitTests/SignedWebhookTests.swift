import CasebookHost
import CasebookKit
import CasebookTesting
import Crypto
import Foundation
import Testing

/// A plugin with a signed webhook, as an alerting integration would have: the body is stored and
/// acted on once per delivery id, in a durable job.
struct SignedHookProbe: Plugin {
    struct Configuration: Decodable, Sendable { var secret: String }
    struct Delivery: Codable, Sendable { var id: String }

    static let id = "signed"
    static let received = JobKey<Delivery>("received")
    let configuration: Configuration
    init(configuration: Configuration, context: PluginContext) async throws { self.configuration = configuration }

    func register(_ routes: inout Routes<Self>) {
        let auth = WebhookAuthentication.hmacSHA256(secret: configuration.secret, header: "X-Signature", prefix: "sha256=")
        routes.webhook(.post, "events", authentication: auth, maxBodySize: 4096) { _, request, context in
            let body = try request.jsonObject()
            guard let id = body["id"]?.string else { throw WebhookRejection.badRequest("the body has no 'id'") }
            try await context.storage.transaction { tx in
                guard try await tx.deliveries.firstSeen(id) else { return }
                try await tx.jobs.schedule(Self.received, Delivery(id: id), at: context.clock.now())
            }
            return .accepted
        }
        routes.job(Self.received) { _, delivery, context in
            try await context.audit.record(actor: "sender", action: "signed.received", subject: delivery.id, details: [:])
        }
    }
}

@Suite struct SignedWebhookTests {
    static let secret = "whsec-test-1234"

    static func signature(_ body: Data, secret: String = SignedWebhookTests.secret) -> String {
        "sha256=" + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    static func run(_ body: @Sendable (TestHost) async throws -> Void) async throws {
        let config = "host: { sockets: 1 }\nplugins:\n  signed:\n    enabled: true\n    config: { secret: \(secret) }\n"
        try await TestHost.withRunning(plugins: [SignedHookProbe.self], config: config, body)
    }

    static func received(_ host: TestHost) async throws -> [String] {
        try await host.app.database.auditEntries().filter { $0.action == "signed.received" }.map(\.subject)
    }

    @Test func goodBadAndMissingSignaturesOnTheSocketModeHostsPort() async throws {
        try await Self.run { host in
            let body = Data(#"{"id":"d-1"}"#.utf8)
            let good = try await host.request("POST", "/hooks/signed/events", body: body, headers: ["X-Signature": Self.signature(body)])
            #expect(good.status == 202)
            let bad = try await host.request(
                "POST", "/hooks/signed/events", body: Data(#"{"id":"d-2"}"#.utf8), headers: ["X-Signature": Self.signature(body, secret: "other")])
            #expect(bad.status == 401)
            #expect(bad.json?["error"]?.string == "missing or invalid credentials")
            let missing = try await host.request("POST", "/hooks/signed/events", body: Data(#"{"id":"d-3"}"#.utf8))
            #expect(missing.status == 401)
            // The same delivery again is accepted and ignored.
            let repeated = try await host.request("POST", "/hooks/signed/events", body: body, headers: ["X-Signature": Self.signature(body)])
            #expect(repeated.status == 202)
            try await host.settleJobs()
            #expect(try await Self.received(host) == ["d-1"])
        }
    }

    @Test func malformedAndOversizeBodiesAreRefusedWithAReason() async throws {
        try await Self.run { host in
            let junk = Data("{not json".utf8)
            let malformed = try await host.request("POST", "/hooks/signed/events", body: junk, headers: ["X-Signature": Self.signature(junk)])
            #expect(malformed.status == 400)
            #expect(malformed.json?["error"]?.string == "the body is not valid JSON")
            let noID = Data(#"{"other":1}"#.utf8)
            let missingField = try await host.request("POST", "/hooks/signed/events", body: noID, headers: ["X-Signature": Self.signature(noID)])
            #expect(missingField.status == 400)
            #expect(missingField.json?["error"]?.string == "the body has no 'id'")
            let large = Data(("{\"id\":\"" + String(repeating: "x", count: 5000) + "\"}").utf8)
            let oversize = try await host.request("POST", "/hooks/signed/events", body: large, headers: ["X-Signature": Self.signature(large)])
            #expect(oversize.status == 413)
            let huge = Data(repeating: UInt8(ascii: "x"), count: (1 << 20) + 10)
            let beyondTheHost = try await host.request("POST", "/hooks/signed/events", body: huge)
            #expect(beyondTheHost.status == 413)
            try await host.settleJobs()
            #expect(try await Self.received(host).isEmpty)
        }
    }
}
