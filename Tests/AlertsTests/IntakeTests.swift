import AlertsPlugin
import CasebookHost
import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// Points 1–3 of issue 16: who may post, what is refused with which reason, and that nothing is
/// created by a refused request.
@Suite struct IntakeTests {
    @Test func aBadTokenIsRefusedAndBasicAuthWithTheTokenAsPasswordIsAccepted() async throws {
        try await AlertsHarness.run { host in
            let body = AlertsHarness.oncall("alert group created")
            let wrong = try await AlertsHarness.postOnCall(host, body, headers: AlertsHarness.bearer("not-the-token-at-all"))
            #expect(wrong.status == 401)
            #expect(wrong.json?["error"]?.string == "missing or invalid credentials")
            let none = try await AlertsHarness.postOnCall(host, body, headers: ["Content-Type": "application/json"])
            #expect(none.status == 401)
            let manager = try await AlertsHarness.postAlertmanager(
                host, AlertsHarness.alertmanager(status: "firing", alerts: [("a1", "firing")]), headers: AlertsHarness.bearer("wrong"))
            #expect(manager.status == 401)
            try await host.settleJobs()
            #expect(AlertsHarness.caseChannels(host).isEmpty)

            let basic = "Basic " + Data("oncall:\(AlertsHarness.token)".utf8).base64EncodedString()
            let accepted = try await AlertsHarness.postOnCall(host, body, headers: ["Content-Type": "application/json", "Authorization": basic])
            #expect(accepted.status == 202)
            try await host.settleJobs()
            #expect(AlertsHarness.caseChannels(host).count == 1)
        }
    }

    @Test func withAnHMACSecretAMissingOrBadSignatureIsRefusedAndAGoodOneAccepted() async throws {
        try await AlertsHarness.run(hmac: true) { host in
            let body = AlertsHarness.oncall("alert group created")
            let missing = try await AlertsHarness.postOnCall(host, body)
            #expect(missing.status == 401)
            var bad = AlertsHarness.bearer()
            bad["X-Grafana-OnCall-Signature"] = AlertsHarness.signature(body, secret: "some-other-secret")
            #expect(try await AlertsHarness.postOnCall(host, body, headers: bad).status == 401)
            var signedWithoutToken = ["Content-Type": "application/json"]
            signedWithoutToken["X-Grafana-OnCall-Signature"] = AlertsHarness.signature(body)
            #expect(try await AlertsHarness.postOnCall(host, body, headers: signedWithoutToken).status == 401)
            try await host.settleJobs()
            #expect(AlertsHarness.caseChannels(host).isEmpty)

            var good = AlertsHarness.bearer()
            good["X-Grafana-OnCall-Signature"] = AlertsHarness.signature(body)
            #expect(try await AlertsHarness.postOnCall(host, body, headers: good).status == 202)
            try await host.settleJobs()
            #expect(AlertsHarness.caseChannels(host).count == 1)
        }
    }

    @Test func oversizeMalformedAndIncompleteBodiesAreRefusedWithAReason() async throws {
        try await AlertsHarness.run { host in
            let large = Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1)
            #expect(try await AlertsHarness.postOnCall(host, large).status == 413)
            let junk = try await AlertsHarness.postOnCall(host, Data("{not json".utf8))
            #expect(junk.status == 400)
            #expect(junk.json?["error"]?.string == "the body is not valid JSON")
            let noGroup = try await AlertsHarness.postOnCall(host, Data(#"{"event":{"type":"resolve"},"alert_group":null,"user":null}"#.utf8))
            #expect(noGroup.status == 400)
            #expect(noGroup.json?["error"]?.string == "the body has no 'alert_group.id'")
            let noType = try await AlertsHarness.postOnCall(host, Data(#"{"alert_group":{"id":"I1"}}"#.utf8))
            #expect(noType.json?["error"]?.string == "the body has no 'event.type'")
            let noKey = try await AlertsHarness.postAlertmanager(host, Data(#"{"version":"4","status":"firing","alerts":[]}"#.utf8))
            #expect(noKey.status == 400)
            #expect(noKey.json?["error"]?.string == "the body has no 'groupKey'")
            let badStatus = try await AlertsHarness.postAlertmanager(host, Data(#"{"groupKey":"g","status":"weird","alerts":[]}"#.utf8))
            #expect(badStatus.json?["error"]?.string == "'status' must be firing or resolved")
            try await host.settleJobs()
            #expect(AlertsHarness.caseChannels(host).isEmpty)
        }
    }
}
