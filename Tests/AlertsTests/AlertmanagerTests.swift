import AlertsPlugin
import CasebookHost
import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// Issue 16 for Alertmanager: one case per `groupKey`, a partially resolved batch as a note, the
/// resolved batch told in the channel.
@Suite struct AlertmanagerTests {
    @Test func aBatchOpensOneCaseAndAPartlyResolvedBatchIsANoteThenResolvedIsToldInTheChannel() async throws {
        try await AlertsHarness.run { host in
            let firing = AlertsHarness.alertmanager(status: "firing", alerts: [("a1", "firing"), ("a2", "firing")])
            #expect(try await AlertsHarness.postAlertmanager(host, firing).status == 202)
            #expect(try await AlertsHarness.postAlertmanager(host, firing).status == 202)  // repeat_interval resend
            try await host.settleJobs()
            let channel = try AlertsHarness.onlyCaseChannel(host)
            #expect(channel.name.hasPrefix("case-disk-almost"))
            let summary = AlertsHarness.texts(host, in: channel.id).joined(separator: "\n")
            #expect(summary.contains("Disk almost full on the database"))
            #expect(summary.contains("firing (2 alerts)"))
            #expect(summary.contains("http://prometheus.example.com/graph?g0.expr=disk"))
            #expect(summary.contains("http://alertmanager.example.com"))

            let partly = AlertsHarness.alertmanager(status: "firing", alerts: [("a1", "resolved"), ("a2", "firing")])
            #expect(try await AlertsHarness.postAlertmanager(host, partly).status == 202)
            try await host.settleJobs()
            #expect(AlertsHarness.texts(host, in: channel.id).contains { $0.contains("Still firing (1 alert), 1 resolved") })
            #expect(try await AlertsHarness.actions(host).contains("alerts.resolved") == false)

            let resolved = AlertsHarness.alertmanager(status: "resolved", alerts: [("a1", "resolved"), ("a2", "resolved")])
            #expect(try await AlertsHarness.postAlertmanager(host, resolved).status == 202)
            try await host.settleJobs()
            #expect(AlertsHarness.texts(host, in: channel.id).contains { $0.contains("Alert resolved in Alertmanager") })
            #expect(AlertsHarness.caseChannels(host).count == 1)
            #expect(try await AlertsHarness.actions(host).filter { $0 == "case.opened" }.count == 1)
        }
    }

    @Test func anotherGroupKeyIsAnotherCase() async throws {
        try await AlertsHarness.run { host in
            try await AlertsHarness.postAlertmanager(host, AlertsHarness.alertmanager(status: "firing", alerts: [("a1", "firing")]))
            try await AlertsHarness.postAlertmanager(
                host, AlertsHarness.alertmanager(status: "firing", alerts: [("b1", "firing")], groupKey: #"{}:{alertname="Other"}"#))
            try await host.settleJobs()
            #expect(AlertsHarness.caseChannels(host).count == 2)
        }
    }

    @Test func truncatedAlertsCountAsFiring() async throws {
        try await AlertsHarness.run { host in
            try await AlertsHarness.postAlertmanager(host, AlertsHarness.alertmanager(status: "firing", alerts: [("a1", "firing")], truncated: 3))
            try await host.settleJobs()
            let channel = try AlertsHarness.onlyCaseChannel(host)
            #expect(AlertsHarness.texts(host, in: channel.id).contains { $0.contains("firing (4 alerts)") })
        }
    }

    @Test func aStorageOutageIsA503SoAlertmanagerRetries() async throws {
        try await AlertsHarness.run { host in
            try await host.app.database.close()
            let answer = try await AlertsHarness.postAlertmanager(host, AlertsHarness.alertmanager(status: "firing", alerts: [("a1", "firing")]))
            #expect(answer.status == 503)
            #expect(answer.json?["error"]?.string == "the delivery could not be stored; retry later")
        }
    }
}
