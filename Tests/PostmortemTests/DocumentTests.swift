import CasebookHost
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation
import Postmortem
import RolesPlugin
import Synchronization
import Testing

/// A plugin that loads a case's postmortem from a durable job, as the publishers do.
struct PostmortemProbe: StatelessPlugin {
    static let id = "probe"
    static var requirements: Requirements { Requirements(scopes: ["users:read"], dependencies: [CasesPlugin.id]) }
    static let loaded = Mutex<[String: PostmortemDocument]>([:])
    static let load = JobKey<String>("load")

    func register(_ routes: inout Routes<PostmortemProbe>) {
        routes.command("probe", help: "Load this case's postmortem") { _, command, context in
            guard let item = await CaseDirectory(context: context).case(inChannel: command.channelID) else { return .ephemeral("no case") }
            try await context.jobs.schedule(Self.load, item.id, at: context.clock.now())
            return .ephemeral("loading")
        }
        routes.job(Self.load) { _, caseID, context in
            guard let document = try await PostmortemDocument.load(caseID: caseID, context: context) else { return }
            Self.loaded.withLock { $0[caseID] = document }
        }
    }
}

/// Point 1: the document holds what Casebook recorded, with or without the roles plugin.
@Suite(.serialized) struct DocumentTests {
    static func config(roles: Bool) -> String {
        var lines = ["host:", "  sockets: 1", "plugins:", "  cases:", "    enabled: true", "    config:", "      notifications_channel: C0INCIDENTS"]
        if roles { lines += ["  roles:", "    enabled: true", "    config:", "      digest_channel: C0ALERTS"] }
        lines += ["  probe:", "    enabled: true"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func run(roles: Bool, _ body: @Sendable (TestHost) async throws -> Void) async throws {
        let plugins: [any Plugin.Type] = roles ? [CasesPlugin.self, RolesPlugin.self, PostmortemProbe.self] : [CasesPlugin.self, PostmortemProbe.self]
        try await TestHost.withRunning(.inProcess, plugins: plugins, config: config(roles: roles)) { host in try await body(host) }
    }

    static func openIncident(_ host: TestHost, _ title: String) async throws -> (channel: String, caseID: String) {
        let before = Set(host.simulator.conversations.map(\.id))
        _ = try await host.slash("open \(title)", as: "alice", in: "general")
        let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }?.id)
        try await host.advance(by: .seconds(90))
        _ = try await host.slash("incident", as: "alice", in: channel)
        try await host.settleJobs()
        let opened = try await host.app.database.auditEntries().first { $0.action == "case.opened" && $0.details["channel"]?.string == channel }
        return (channel, try #require(opened?.subject))
    }

    static func load(_ host: TestHost, channel: String, caseID: String) async throws -> PostmortemDocument {
        PostmortemProbe.loaded.withLock { $0[caseID] = nil }
        _ = try await host.slash("probe", as: "alice", in: channel)
        try await host.settleJobs()
        try await host.waitUntil("the document") { PostmortemProbe.loaded.withLock { $0[caseID] } != nil }
        return try #require(PostmortemProbe.loaded.withLock { $0[caseID] })
    }

    @Test func theDocumentHoldsTheIncidentsRecordWithRoles() async throws {
        try await Self.run(roles: true) { host in
            let (channel, caseID) = try await Self.openIncident(host, "Checkout <errors> & ]]>")
            _ = try await host.slash("severity sev1", as: "alice", in: channel)
            _ = try await host.slash("role comms <@U0BOB|bob>", as: "alice", in: channel)
            // The modal's ack has no text; delivered directly so nothing waits for a reply.
            _ = try await host.deliver(try host.simulator.slashCommand(user: "alice", channel: channel, command: "/case", text: "update"))
            try await host.waitUntil("the update modal") { host.simulator.topView(for: "alice") != nil }
            try await host.submitTopView(as: "alice", values: [
                "impact": ["impact": "Card payments fail for 20%"], "components": ["components": "API, checkout"],
                "text": ["text": "Rolling back *deploy* 42"],
            ])
            let alertTS = try host.simulator.postAsUser("alice", channel: "alerts", text: "secret message text")
            try await host.messageShortcut("collect_evidence", as: "alice", channel: "alerts", messageTS: alertTS)
            try await host.waitUntil("the evidence modal") { host.simulator.topView(for: "alice") != nil }
            try await host.submitTopView(as: "alice", values: ["case": ["case_id": caseID]])
            try await host.settleJobs()
            try await host.advance(by: .seconds(3_600))
            _ = try await host.slash("resolve", as: "alice", in: channel)
            try await host.settleJobs()

            let document = try await Self.load(host, channel: channel, caseID: caseID)
            #expect(document.title == "Checkout <errors> & ]]>")
            #expect(document.status == "Resolved")
            #expect(document.openedBy.name == "Alice Archer")
            #expect(document.timeToEscalate == 90)
            #expect(document.timeToResolve == 3_600)
            #expect(document.severity?.name == "SEV1")
            #expect(document.severity?.definition.isEmpty == false)
            #expect(document.commander?.name == "Alice Archer")
            #expect(document.roles.map(\.role) == ["commander", "comms"])
            #expect(document.roles.last?.person.name == "Bob Baker")
            #expect(document.updates.count == 1)
            #expect(document.updates.first?.impact == "Card payments fail for 20%")
            #expect(document.updates.first?.components == "API, checkout")
            #expect(document.updates.first?.text == "Rolling back *deploy* 42")
            #expect(document.evidence.count == 1)
            #expect(document.evidence.first?.url.hasPrefix("https://") == true)
            #expect(document.evidence.first?.addedBy.name == "Alice Archer")
            let words = document.timeline.map(\.text)
            #expect(words.first == "Investigation opened")
            #expect(words.contains("Escalated to an incident"))
            #expect(words.contains("Severity changed from SEV4 to SEV1"), "\(words)")
            #expect(words.contains("Bob Baker became Communications liaison"), "\(words)")
            #expect(words.contains("Incident resolved"))
            #expect(document.caseChannel.url.contains(channel))
            #expect(document.rcaChannel != nil, "roles opens an RCA channel on resolve by default")
            #expect(document.rcaChannel?.name?.hasSuffix("-rca") == true)
            #expect(document.impact.isEmpty && document.rootCause.isEmpty && document.actions.isEmpty)
            // Never message content.
            let encoded = try JSONValue.from(document).encoded()
            #expect(!encoded.contains("secret message text"))
        }
    }

    @Test func withoutRolesTheCommanderStandsAlone() async throws {
        try await Self.run(roles: false) { host in
            let (channel, caseID) = try await Self.openIncident(host, "Search is slow")
            try await host.join("bob", channel)
            _ = try await host.slash("resolve", as: "bob", in: channel)
            try await host.settleJobs()
            let document = try await Self.load(host, channel: channel, caseID: caseID)
            #expect(document.severity == nil)
            #expect(document.rcaChannel == nil)
            #expect(document.roles == [PostmortemDocument.RoleHolder(
                role: "commander", roleName: "Incident Commander", person: .init(id: "U0ALICE", name: "Alice Archer"))])
            #expect(document.resolvedBy?.name == "Bob Baker")
            #expect(document.updates.isEmpty)
            #expect(document.timeline.map(\.text) == ["Investigation opened", "Escalated to an incident", "Incident resolved"])
        }
    }

    @Test func aTemplateRendersTheDocumentEscapedPerOutput() async throws {
        let opened = Date(timeIntervalSince1970: 1_800_000_000)
        var document = PostmortemDocument(
            caseID: "c1", title: "Disk <full> & ]]>", status: "Resolved", openedAt: opened, openedBy: .init(id: "U1", name: "Ann <a>"),
            escalatedAt: opened.addingTimeInterval(60), resolvedAt: opened.addingTimeInterval(3_660),
            severity: .init(id: "sev2", name: "SEV2", definition: "Major & visible"), commander: .init(id: "U1", name: "Ann <a>"),
            roles: [.init(role: "commander", roleName: "Incident Commander", person: .init(id: "U1", name: "Ann <a>"))],
            timeline: [.init(at: opened, actor: .init(id: "U1", name: "Ann <a>"), text: "Investigation opened")],
            caseChannel: .slack(id: "C1", name: "case-disk", team: "T1"))
        document.impact = ""
        let xhtml = try PostmortemTemplate(
            "<h1>{{title}}</h1><p>{{severity.name}}: {{severity.definition}}</p>{{#roles}}<p>{{role_name}}: {{name}}</p>{{/roles}}<p>{{time_to_resolve}} {{day}} {{opened_at}}</p>",
            name: "test", escaping: .storageXHTML).render(document)
        #expect(StorageFormat.problem(in: xhtml) == nil, "\(xhtml)")
        #expect(xhtml.contains("<h1>Disk &lt;full&gt; &amp; ]]&gt;</h1>"))
        #expect(xhtml.contains("<p>Incident Commander: Ann &lt;a&gt;</p>"))
        #expect(xhtml.contains("1h 2027-01-15 2027-01-15 08:00 UTC"), "\(xhtml)")
        let markdown = try PostmortemTemplate("# {{title}}\n{{#roles}}\n- {{role_name}}: {{name}}\n{{/roles}}\n", name: "test", escaping: .markdown).render(document)
        #expect(markdown == "# Disk \\<full\\> \\& \\]\\]\\>\n- Incident Commander: Ann \\<a\\>\n")
        #expect(throws: PostmortemTemplate.TemplateError(name: "rca.html", line: 1, message: "{{#roles}} is never closed with {{/roles}}")) {
            try PostmortemTemplate("{{#roles}}", name: "rca.html", escaping: .storageXHTML)
        }
    }
}
