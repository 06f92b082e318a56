import CasebookHost
import CasebookKit
import CasebookTesting
import Synchronization
import Testing

private struct Noted: DomainEvent {
    static let name = "test.noted"
    var id: String
}

/// Two features of one plugin reacting to the same event; the host must deliver it once.
private struct NoteListener: StatelessPlugin {
    static let id = "listener"
    static let heard = Mutex<[String]>([])
    func register(_ routes: inout Routes<Self>) {
        routes.subscribe(Noted.self) { _, event, _ in Self.heard.withLock { $0.append("first:\(event.id)") } }
        routes.subscribe(Noted.self) { _, event, _ in Self.heard.withLock { $0.append("second:\(event.id)") } }
    }
}

@Suite("Event routing")
struct EventRoutingTests {
    /// Boot gives the database the registry's router; one publish is one delivery that runs both handlers.
    @Test func theBootedHostRoutesEventsFromItsRegistryOneDeliveryPerPlugin() async throws {
        try await TestHost.withRunning(plugins: [NoteListener.self], config: "plugins:\n  listener: { enabled: true }\n") { host in
            let app = try host.app
            #expect(app.database.eventRouter == EventRouter(registry: app.registry))
            #expect(app.database.eventRouter?.subscribers(of: Noted.name) == ["listener"])
            try await app.database.storage(plugin: "publisher").transaction { tx in
                try await tx.events.publish(Noted(id: "N1"))
            }
            try await host.waitUntil("the delivery to run") { NoteListener.heard.withLock { $0.count } == 2 }
            try await host.settleJobs()
            #expect(NoteListener.heard.withLock { $0 } == ["first:N1", "second:N1"])
            let jobs = try await app.database.listJobs(states: ["pending", "running", "done", "dead"]).filter { $0.name.hasPrefix("event:") }
            #expect(jobs.map { "\($0.plugin).\($0.name).\($0.state)" } == ["listener.event:test.noted.done"])
        }
    }
}
