import CasebookTesting
import Testing

/// The README's example plugin, tested in process: no socket, no port, a database in memory.
@Suite struct ExamplePluginTests {
    @Test func aHandoverIsWrittenInAModalAndTakenOverWithItsButton() async throws {
        try await TestHost.withRunning(.inProcess, plugins: [Handover.self], config: "plugins: {handover: {enabled: true}}") { host in
            _ = try await host.slash("handover", as: "alice", in: "incidents")
            let refused = try await host.submitTopView(as: "alice", values: ["note": ["note": "db-2"]])
            #expect(refused?["errors"]?["note"] == "Say a little more: at least 10 characters.")

            _ = try await host.submitTopView(as: "alice", values: ["note": ["note": "db-2's disk fills at 03:00"]])
            let note = try #require(host.simulator.messages(in: "incidents").last)
            #expect(note.text == "Handover from <@U0ALICE>: db-2's disk fills at 03:00")

            let taken = try await host.shown(note, to: "bob").click("Take over")
            #expect(taken?.text == "Bob Baker took over from <@U0ALICE>.")
            let trail = try await host.app.database.audit(plugin: "handover").entries(subject: note.ts).map(\.action)
            #expect(trail == ["handover.written", "handover.taken"])
        }
    }
}
