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
            #expect(rendering.text.contains("Severity: SEV2" + String(repeating: " ", count: 18) + "Lead: none"))
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

    @Test func mrkdwnIsShownTheWaySlackShowsIt() async throws {
        try await SlackSimulator.withRunning { sim in
            _ = try sim.postAsUser("carol", channel: "incidents", text: """
                <@U0ALICE> and <@U0NOBODY> in <#C0INCIDENTS> and <#C0GONE|old-room>: <!here> <!channel> <!subteam^S0RESPONDERS> <!subteam^S0GONE|@old-team>
                see <https://status.test/x?a=1&amp;b=2|status page> or <https://casebook.test> or <mailto:bob@casebook.test|bob@casebook.test> &lt;3 &amp; more
                due <!date^1796184765^{date_short_pretty} {time}|Dec 2>; <!date^1796184765^{date_num} {time_secs} · {date_long}|x>
                bad <!date^soon^{date}|the fallback> and <!date^1796184765^{fortnight}|another fallback> <unclosed
                """)
            let text = sim.render(channel: "incidents")
            #expect(text.contains("    @alice and @U0NOBODY in #incidents and #old-room: @here @channel @responders @old-team\n"))
            #expect(text.contains("    see status page (https://status.test/x?a=1&b=2) or https://casebook.test or bob@casebook.test <3 & more\n"))
            #expect(text.contains("    due Dec 2, 2026 04:12; 2026-12-02 04:12:45 · Wednesday, December 2nd, 2026\n"))
            #expect(text.contains("    bad the fallback and another fallback <unclosed"))
        }
    }

    @Test func sectionFieldsAndContextAreRenderedInColumns() async throws {
        try await SlackSimulator.withRunning { sim async throws in
            let blocks: JSONValue = [
                ["type": "section", "text": ["type": "mrkdwn", "text": "Paged <!subteam^S0RESPONDERS>"],
                 "fields": [["type": "mrkdwn", "text": "*Severity*\nSEV2"], ["type": "mrkdwn", "text": "*Lead*\n<@U0BOB>"],
                            ["type": "plain_text", "text": "<@U0CAROL> stays raw in plain text"]]],
                ["type": "context", "elements": [["type": "mrkdwn", "text": "opened by <@U0ALICE> in <#C0ALERTS>"]]],
            ]
            #expect(try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x", "blocks": blocks]).ok)
            let pad = { (text: String) in text + String(repeating: " ", count: 32 - text.count) }
            #expect(sim.render(channel: "incidents").contains("""
                    Paged @responders
                    \(pad("*Severity*"))*Lead*
                    \(pad("SEV2"))@bob
                    <@U0CAROL> stays raw in plain text
                    › opened by @alice in #alerts
                """))
        }
    }
}
