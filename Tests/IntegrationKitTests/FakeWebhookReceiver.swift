import CasebookKit
import CasebookTesting
import Synchronization

/// The example plugin's fake: a receiver that answers 200, dedupes on `Idempotency-Key` like a
/// careful receiver would, and records what it accepted.
final class FakeWebhookReceiver: IntegrationFake {
    let service = FakeService(name: "webhook")
    private let accepted = Mutex<[String: JSONValue]>([:])

    init() {
        service.route("POST", "/hook") { [self] request in
            guard let body = request.json, body["text"]?.string != nil else { return .json(["error": "text is required"], status: 400) }
            let key = request.headers["idempotency-key"] ?? UUID().uuidString
            accepted.withLock { $0[key] = $0[key] ?? body }
            return .json(["ok": true])
        }
    }

    /// What was posted, one entry per idempotency key.
    var posts: [JSONValue] { accepted.withLock { Array($0.values) } }

    var pluginID: String { EscalationWebhook.id }
    var configOverrides: [String: String] { ["url": service.baseURL + "/hook"] }
    var fakeServices: [FakeService] { [service] }
    func start() async throws { try await service.start() }
    func stop() async { await service.stop() }
}
