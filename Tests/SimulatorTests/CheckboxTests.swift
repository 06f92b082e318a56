import CasebookKit
import Foundation
import SlackSimulator
import Testing

/// Checkbox groups in messages, as Slack treats them: at most 10 options, `initial_options` among
/// the options, and a click sends every box of the group ticked after it (`selected_options`).
@Suite struct CheckboxTests {
    static func group(_ values: [String], ticked: [String] = []) -> JSONValue {
        let options = values.map { value -> JSONValue in ["text": ["type": "mrkdwn", "text": .string("Step \(value)")], "value": .string(value)] }
        var element: [String: JSONValue] = ["type": "checkboxes", "action_id": "tick", "options": .array(options)]
        if !ticked.isEmpty { element["initial_options"] = .array(options.filter { ticked.contains($0["value"]?.string ?? "") }) }
        return ["type": "actions", "block_id": "list", "elements": [.object(element)]]
    }

    @Test func aClickSendsEveryTickedBoxOfTheGroup() async throws {
        try await SlackSimulator.withRunning { sim in
            let posted = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "List", "blocks": [Self.group(["a", "b", "c"], ticked: ["a"])]])
            let ts = try #require(posted.json["ts"]?.string)
            let tick = try sim.blockAction(user: "alice", in: .message(channel: "incidents", ts: ts), actionID: "tick", selectedOption: "c")
            #expect(tick["actions"]?[0]?["type"]?.string == "checkboxes")
            #expect(tick["actions"]?[0]?["selected_options"]?.array?.compactMap { $0["value"]?.string } == ["a", "c"])
            let untick = try sim.blockAction(user: "alice", in: .message(channel: "incidents", ts: ts), actionID: "tick", selectedOption: "a")
            #expect(untick["actions"]?[0]?["selected_options"]?.array?.isEmpty == true)
            #expect(throws: SimulatorError.self) { try sim.blockAction(user: "alice", in: .message(channel: "incidents", ts: ts), actionID: "tick", selectedOption: "z") }
        }
    }

    @Test func slacksLimitsAreEnforced() async throws {
        try await SlackSimulator.withRunning { sim in
            let eleven = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x", "blocks": [Self.group((1...11).map(String.init))]])
            #expect(eleven.error == "invalid_blocks")
            var stray = Self.group(["a"])
            if case .object(var block) = stray, case .object(var element) = block["elements"]?[0] ?? .null {
                element["initial_options"] = [["text": ["type": "plain_text", "text": "Other"], "value": "o"]]
                block["elements"] = [.object(element)]
                stray = .object(block)
            }
            let mismatch = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x", "blocks": [stray]])
            #expect(mismatch.error == "invalid_blocks")
            #expect(mismatch.json["response_metadata"]?["messages"]?[0]?.string?.contains("initial_options/0") == true)
        }
    }
}
