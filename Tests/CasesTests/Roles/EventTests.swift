import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// An integration plugin as PagerDuty or Statuspage would be: it subscribes to the Roles plugin's
/// typed events and writes what it received to the timeline, where the test reads it.
struct EventProbePlugin: StatelessPlugin {
    static let id = "probe"
    static var requirements: Requirements { Requirements(dependencies: [RolesPlugin.id]) }

    func register(_ routes: inout Routes<EventProbePlugin>) {
        routes.subscribe(SeverityChanged.self) { _, event, context in
            try await Self.note(SeverityChanged.name, event.caseID, "\(event.from ?? "-")>\(event.to)", context)
        }
        routes.subscribe(IncidentStatusChanged.self) { _, event, context in
            try await Self.note(IncidentStatusChanged.name, event.caseID, "\(event.from.rawValue)>\(event.to.rawValue)", context)
        }
        routes.subscribe(RoleAssigned.self) { _, event, context in
            try await Self.note(RoleAssigned.name, event.caseID, "\(event.role)=\(event.user)", context)
        }
        routes.subscribe(UpdatePosted.self) { _, event, context in
            try await Self.note(UpdatePosted.name, event.caseID, event.update.impact, context)
        }
    }

    static func note(_ name: String, _ caseID: String, _ detail: String, _ context: PluginContext) async throws {
        try await context.storage.transaction { tx in
            try await tx.audit.record(actor: "probe", action: name, subject: caseID, details: .string(detail))
        }
    }
}

@Suite struct EventTests {
    @Test func integrationsReceiveTypedEvents() async throws {
        let config = RolesHarness.config() + "\n  probe:\n    enabled: true\n"
        try await RolesHarness.run(config: config, plugins: [CasesPlugin.self, RolesPlugin.self, EventProbePlugin.self]) { host in
            let channel = try await RolesHarness.incident(host)
            try await host.slash("severity sev2", as: "alice", in: channel)
            try await host.slash("phase identified", as: "alice", in: channel)
            try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            try await UpdateAndDigestTests.postUpdate(host, channel, as: "bob", impact: "Slow checkout", text: "Cache warming.")
            try await host.slash("role commander <@U0CAROL|carol>", as: "alice", in: channel)
            try await host.slash("resolve", as: "carol", in: channel)
            try await host.settleJobs()
            let received = try await host.app.database.auditEntries().filter { $0.plugin == "probe" }
            let caseID = try await RolesHarness.caseID(host, channel: channel)
            #expect(received.allSatisfy { $0.subject == caseID })
            // Deliveries are jobs that may run concurrently, so the order is not asserted.
            #expect(received.map { "\($0.action) \($0.details.string ?? "")" }.sorted() == [
                "roles.severity_changed ->sev4",
                "roles.severity_changed sev4>sev2",
                "roles.status_changed investigating>identified",
                "roles.role_assigned comms=U0BOB",
                "roles.update_posted Slow checkout",
                "roles.role_assigned commander=U0CAROL",
                "roles.status_changed identified>resolved",
            ].sorted())
        }
    }
}
