import CasebookKit
import Testing

/// Checkbox groups (the war-room checklist): Slack's JSON, mrkdwn options, and its limits.
@Suite("Block Kit checkboxes")
struct CheckboxesTests {
    static func options(_ count: Int) -> [Option] {
        (1...count).map { Option("Step \($0)", value: "s\($0)", markdown: true) }
    }

    @Test func aGroupRendersItsOptionsAndTheTickedOnes() throws {
        let options = Self.options(3)
        let done = Option("Step 2", value: "s2", description: "<@U0BOB>", markdown: true)
        let message = Message("Checklist") {
            Block.actions([.checkboxes(actionID: "roles.checklist_tick", options: [options[0], done, options[2]], initial: [done])], blockID: "list")
        }
        try message.validate()
        let element = JSONValue.object(message.json)["blocks"]?[0]?["elements"]?[0]
        #expect(element?["type"]?.string == "checkboxes")
        #expect(element?["options"]?.array?.count == 3)
        #expect(element?["options"]?[1]?["description"]?["type"]?.string == "mrkdwn")
        #expect(element?["initial_options"]?[0]?["value"]?.string == "s2")
        // Without ticked options, Slack wants no `initial_options` at all.
        let empty = Element.checkboxes(actionID: "a", options: options).json
        #expect(empty["initial_options"] == nil)
        // Selects stay plain text.
        #expect(Option("Plain", value: "p").json["text"]?["type"]?.string == "plain_text")
    }

    @Test func slacksLimitsAreChecked() {
        #expect(throws: BlockKitError(path: "blocks[0].elements[0].options", problem: "has 11 options; 1 to 10")) {
            try Message("t", blocks: [.actions([.checkboxes(actionID: "a", options: Self.options(11))])]).validate()
        }
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.actions([.checkboxes(actionID: "a", options: [Option(String(repeating: "x", count: 76), value: "v")])])]).validate()
        }
        #expect(throws: BlockKitError.self) {
            let long = Option("Step", value: "v", description: String(repeating: "d", count: 76))
            try Message("t", blocks: [.actions([.checkboxes(actionID: "a", options: [long])])]).validate()
        }
        #expect(throws: BlockKitError(path: "blocks[0].elements[0].initial_options[0]", problem: "is not one of the options")) {
            try Message("t", blocks: [.actions([.checkboxes(actionID: "a", options: Self.options(2), initial: [Option("Other", value: "o")])])]).validate()
        }
    }
}
