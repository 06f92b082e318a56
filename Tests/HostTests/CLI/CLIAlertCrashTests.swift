import AsyncHTTPClient
import CasebookKit
import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import SlackSimulator
import Testing

/// Issue 16, point 9: `kill -9` right after an alert webhook's 2xx — while its case is being
/// opened — and the case still appears after a restart, once.
@Suite("casebook serve: an alert survives kill -9")
struct CLIAlertCrashTests {
    static let token = "alerts-crash-token-0123456789"

    static let alert = Data("""
        {"event":{"type":"alert group created","time":"2026-12-02T10:00:00Z"},"user":null,
         "alert_group":{"id":"ICRASH0001","title":"Disk full on db-9","state":"firing","alerts_count":1,
           "permalinks":{"web":"https://oncall.example.com/alert-groups/ICRASH0001"},"labels":[]},
         "alert_group_id":"ICRASH0001","alert_payload":{"labels":{"severity":"warning"},"annotations":{}}}
        """.utf8)

    @Test func aKilledHostStillOpensTheAlertsCaseOnceAfterARestart() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            try await SlackSimulator.withRunning { simulator in
                var server = CLIServeTests.Server(directory: directory, simulator: simulator, port: try freeLoopbackPort())
                server.extraEnvironment = ["ALERTS_WEBHOOK_TOKEN": Self.token]
                try await run(server)
            }
        }
    }

    func run(_ server: CLIServeTests.Server) async throws {
        let simulator = server.simulator
        // The case's channel cannot be made before the kill: Slack "hangs" on conversations.create.
        simulator.setLatency(.seconds(30), for: "conversations.create")
        var serve = try await server.start()
        defer { serve.stop() }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/hooks/alerts/grafana-oncall")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: Self.alert))
        let answer = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        #expect(answer.status.code == 202)
        try await eventually("the alert's job is opening the case") {
            try await server.rows("SELECT state FROM alerts_groups").contains { $0["state"] == "opening" }
        }
        serve.send(SIGKILL)
        let killed = try await serve.wait(timeout: .seconds(30))
        #expect(killed.signalled && killed.status == SIGKILL, "\(killed)")
        #expect(try await server.rows("SELECT id FROM cases_cases").isEmpty, "the kill came after the case was opened; the test proved nothing")
        try await simulator.waitForSockets(0, timeout: .seconds(30))

        // Restarted, the runner takes the dead worker's job over once its lease and the group's
        // claim run out (about two minutes), and opens the case.
        simulator.setLatency(nil, for: "conversations.create")
        serve = try await server.start()
        try await eventually("the case after the restart", timeout: .seconds(240)) {
            try await server.rows("SELECT case_id FROM alerts_groups WHERE case_id IS NOT NULL").count == 1
        }
        let cases = try await server.rows("SELECT id, title FROM cases_cases")
        #expect(cases.map { $0["title"] } == ["Disk full on db-9"])
        let groups = try await server.rows("SELECT case_id, state FROM alerts_groups")
        #expect(groups.count == 1 && groups.first?["case_id"] == cases.first?["id"])
        serve.send(SIGTERM)
        _ = try await serve.wait(timeout: .seconds(20))
    }
}
