import CasebookKit
import Foundation
import SlackSimulator
import Testing

@Suite struct HTTPModeTests {
    /// reference/slack.md §2.1, from Slack's documentation.
    @Test func signatureMatchesKnownAnswerVector() {
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
        let signature = RequestSignature.sign(secret: "8f742231b10e8888abcd99yyyzzz85a5", timestamp: "1531420618", body: Data(body.utf8))
        #expect(signature == "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")
    }

    @Test func bodiesAreEncodedAsSlackSendsThem() throws {
        do { let sim = SlackSimulator()
            let command = try sim.slashCommand(user: "alice", channel: "incidents", command: "/case", text: "open a&b")
            let (commandType, commandBody) = SlackSimulator.httpBody(.slashCommands, payload: command)
            #expect(commandType == "application/x-www-form-urlencoded")
            let text = String(decoding: commandBody, as: UTF8.self)
            #expect(text.contains("command=%2Fcase"))
            #expect(text.contains("text=open%20a%26b"))
            #expect(text.contains("is_enterprise_install=false"))
            let shortcut = try sim.globalShortcut(user: "alice", callbackID: "declare")
            let (_, interactive) = SlackSimulator.httpBody(.interactive, payload: shortcut)
            let form = String(decoding: interactive, as: UTF8.self)
            #expect(form.hasPrefix("payload=%7B"))
            let decoded = try JSONValue.decode(try #require(String(form.dropFirst("payload=".count)).removingPercentEncoding))
            #expect(decoded == shortcut)
            let (eventType, _) = SlackSimulator.httpBody(.eventsAPI, payload: sim.event(["type": "app_mention"]))
            #expect(eventType == "application/json")
        }
    }

    @Test func responseURLsActOnStateAndExpire() async throws {
        let clock = TestClock()
        try await SlackSimulator.withRunning(clock: clock) { sim in
            let command = try sim.slashCommand(user: "bob", channel: "incidents", command: "/case")
            let url = try #require(command["response_url"]?.string)
            #expect(url.hasPrefix(sim.baseURL + "/response/"))
            // postSigned sends the raw JSON body; a response_url takes exactly that.
            let reply = try await sim.postSigned(to: url, .eventsAPI, payload: ["text": "Visible", "response_type": "in_channel"])
            #expect(reply.status == 200)
            #expect(sim.messages(in: "incidents").last?.text == "Visible")
            for index in 2...5 {
                _ = try await Client.post(url, body: Data(#"{"text":"n\#(index)"}"#.utf8), contentType: "application/json", authorization: nil)
            }
            #expect(sim.ephemeralMessages(for: "bob").count == 4)
            let sixth = try await Client.post(url, body: Data(#"{"text":"again"}"#.utf8), contentType: "application/json", authorization: nil)
            #expect(sixth.status == 404)
            #expect(sixth.error == "used_url")
            let later = try #require(try sim.slashCommand(user: "bob", channel: "incidents", command: "/case")["response_url"]?.string)
            clock.advance(31 * 60)
            let expired = try await Client.post(later, body: Data(#"{"text":"late"}"#.utf8), contentType: "application/json", authorization: nil)
            #expect(expired.error == "expired_url")
        }
    }

    @Test func replaceOriginalFromABlockAction() async throws {
        try await SlackSimulator.withRunning { sim in
            let blocks: JSONValue = [["type": "actions", "elements": [["type": "button", "action_id": "ack", "value": "7", "text": ["type": "plain_text", "text": "Acknowledge"]]]]]
            let posted = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "Alert", "blocks": blocks])
            let ts = try #require(posted.json["ts"]?.string)
            let action = try sim.blockAction(user: "alice", in: .message(channel: "incidents", ts: ts), actionID: "ack")
            #expect(action["actions"]?[0]?["value"]?.string == "7")
            #expect(action["container"]?["message_ts"]?.string == ts)
            #expect(action["message"]?["text"]?.string == "Alert")
            #expect(throws: SimulatorError.self) { try sim.blockAction(user: "alice", in: .message(channel: "incidents", ts: ts), actionID: "nope") }
            let url = try #require(action["response_url"]?.string)
            let answer = try await Client.post(url, body: Data(#"{"replace_original":true,"text":"Acknowledged by alice"}"#.utf8), contentType: "application/json", authorization: nil)
            #expect(answer.ok)
            #expect(sim.message(in: "incidents", ts: ts)?.text == "Acknowledged by alice")
            #expect(sim.message(in: "incidents", ts: ts)?.blocks.isEmpty == true)
        }
    }
}
