import CasebookKit
import SlackSimulator
import Testing

@Suite struct RendererTests {
    @Test func interactiveElementsAreNumberedAndClickable() async throws {
        try await SlackSimulator.withRunning { sim in
            let blocks: JSONValue = [
                ["type": "header", "text": ["type": "plain_text", "text": "Case 42"]],
                ["type": "section", "text": ["type": "mrkdwn", "text": "*Database down*"],
                 "fields": [["type": "mrkdwn", "text": "Severity: SEV2"], ["type": "mrkdwn", "text": "Lead: none"]]],
                ["type": "context", "elements": [["type": "mrkdwn", "text": "opened by alice"]]],
                ["type": "actions", "block_id": "controls", "elements": [
                    ["type": "button", "action_id": "escalate", "text": ["type": "plain_text", "text": "Escalate"], "style": "danger"],
                    ["type": "static_select", "action_id": "severity", "placeholder": ["type": "plain_text", "text": "Severity"],
                     "options": [["text": ["type": "plain_text", "text": "SEV1"], "value": "1"], ["text": ["type": "plain_text", "text": "SEV2"], "value": "2"]]],
                ]],
            ]
            let posted = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "Case 42", "blocks": blocks])
            #expect(posted.ok)
            let rendering = sim.rendering(channel: "#incidents")
            #expect(rendering.text.contains("#incidents (C0INCIDENTS)"))
            #expect(rendering.text.contains("▌CASE 42"))
            #expect(rendering.text.contains("Severity: SEV2  │  Lead: none"))
            #expect(rendering.text.contains("[1] Escalate (danger)"))
            #expect(rendering.text.contains("[2] ▾ Severity (SEV1, SEV2)"))
            #expect(rendering.elements.map(\.actionID) == ["escalate", "severity"])
            let select = try #require(sim.element(2))
            #expect(select.type == "static_select")
            #expect(select.options.map(\.value) == ["1", "2"])
            #expect(select.blockID == "controls")
            let click = try sim.click(2, user: "alice", choice: "SEV1")
            #expect(click["actions"]?[0]?["selected_option"]?["value"]?.string == "1")
            #expect(click["actions"]?[0]?["block_id"]?.string == "controls")
            #expect(throws: SimulatorError.self) { try sim.click(9, user: "alice") }
        }
    }

    @Test func messageShortcutCarriesTheMessage() async throws {
        try await SlackSimulator.withRunning { sim in
            let ts = try sim.postAsUser("carol", channel: "incidents", text: "checkout is failing")
            let payload = try sim.messageShortcut(user: "alice", channel: "incidents", messageTS: ts, callbackID: "case_from_message")
            #expect(payload["type"]?.string == "message_action")
            #expect(payload["message"]?["text"]?.string == "checkout is failing")
            #expect(payload["message"]?["user"]?.string == "U0CAROL")
            #expect(payload["channel"]?["id"]?.string == "C0INCIDENTS")
            #expect(payload["trigger_id"]?.string != nil)
            #expect(payload["response_url"]?.string?.contains("/response/") == true)
            #expect(EnvelopeKind.of(payload) == .interactive)
        }
    }
}
