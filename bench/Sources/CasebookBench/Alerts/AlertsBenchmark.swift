import AlertsPlugin
import CasebookKit
import CasebookTesting
import CasesPlugin
import Foundation

/// The alerts plugin through the real host: from a Grafana OnCall webhook's arrival to the war
/// room (the case channel with its responders and first message), every Web API call costing 50 ms.
struct AlertsBenchmark {
    var alerts = 15
    /// Pause between alerts, so Slack's per-channel pacing of the notifications channel never
    /// delays what is measured.
    var spacing: Duration = .milliseconds(1_200)
    var webAPILatency: Duration = .milliseconds(50)

    static let token = "bench-alerts-token-0123456789"
    /// The `cases` benchmark's configuration with the alerts plugin added.
    static let configuration = CasesBenchmark.configuration + """

          alerts:
            enabled: true
            config:
              token: \(token)
              responders: [U0BOB, S0RESPONDERS]
        """

    func run() async throws -> Table {
        let benchmark = self
        return try await TestHost.withRunning(
            plugins: [CasesPlugin.self, AlertsPlugin.self], config: Self.configuration, logLevel: .error, realTime: true
        ) { host in try await benchmark.measure(host) }
    }

    private func measure(_ host: TestHost) async throws -> Table {
        let simulator = host.simulator
        progress("alerts: \(alerts) OnCall webhooks with \(webAPILatency) per Web API call (plus 2 warm-up alerts)")
        let (samples, criticalPath) = try await PacedRuns.measure(alerts, figures: 2, latency: webAPILatency, spacing: spacing, on: simulator) {
            index in
            let before = Set(simulator.conversations.map(\.id))
            let started = ContinuousClock.now
            async let assembled: ContinuousClock.Instant = CasesBenchmark.waitFor {
                simulator.conversations.contains { !before.contains($0.id) && !simulator.messages(in: $0.id).isEmpty }
            }
            let answer = try await host.request(
                "POST", "/hooks/alerts/grafana-oncall", body: Self.event(index + 2),
                headers: ["Content-Type": "application/json", "Authorization": "Bearer \(Self.token)"])
            let answered = ContinuousClock.now - started
            let room = try await assembled - started
            guard answer.status == 202 else { throw BenchError("the webhook was answered \(answer.status)") }
            try await host.settleJobs()  // the rest of the war room, so the last run's calls are complete
            return ([answered, room], started)
        }
        let (accepted, firstMessage) = (samples[0], samples[1])
        let target: Duration = .milliseconds(150)
        var table = Table("Grafana OnCall webhook → war room with \(Format.ms(webAPILatency)) added to every Web API call", columns: [
            "alerts", "2xx p50", "2xx p99 (max)", "first message p50", "p99 (max)", "target 2xx < 10 ms, first message < \(Format.ms(target))",
        ])
        table.add(
            "\(firstMessage.count)", Format.ms(accepted.p50), Format.ms(accepted.p99), Format.ms(firstMessage.p50), Format.ms(firstMessage.p99),
            Format.verdict(accepted.p99 < .milliseconds(10) && firstMessage.p99 < target))
        table.note("2xx: the webhook's answer over loopback HTTP (the delivery stored and its job scheduled).")
        table.note("First message: from sending the request until the new case channel holds a message (polled every 1 ms); it includes the job runner's pickup.")
        table.note("Web API calls of the last alert (start→end after the request was sent): " + criticalPath)
        return table
    }

    /// A new OnCall alert group per call.
    static func event(_ index: Int) -> Data {
        Data("""
            {"event":{"type":"alert group created","time":"2026-12-02T10:00:00Z"},"user":null,
             "alert_group":{"id":"IBENCH\(index)","alerts_count":1,"state":"firing","created_at":"2026-12-02T10:00:00Z",
               "title":"Bench alert \(index): checkout errors","permalinks":{"slack":null,"telegram":null,"web":"https://oncall.example.com/ag/\(index)"},"labels":[]},
             "alert_group_id":"IBENCH\(index)","alert_payload":{"labels":{"severity":"warning"}},"integration":{"id":"C1","type":"grafana_alerting"}}
            """.utf8)
    }
}
