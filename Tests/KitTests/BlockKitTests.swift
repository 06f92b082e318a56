import CasebookKit
import Testing

@Suite("Block Kit limits")
struct BlockKitTests {
    @Test func aValidMessageRendersSlackJSON() throws {
        let message = Message("Case opened") {
            Block.header("API latency up")
            Block.section("*Status:* investigating", accessory: .button("Escalate", actionID: "cases.escalate", value: "c1", style: .danger))
            Block.divider
            Block.actions([.button("Resolve", actionID: "cases.resolve"), .usersSelect(actionID: "cases.assign", placeholder: "Pick someone")])
        }
        try message.validate()
        let json = JSONValue.object(message.json)
        #expect(json["blocks"]?[0]?["type"]?.string == "header")
        #expect(json["blocks"]?[1]?["accessory"]?["style"]?.string == "danger")
        #expect(json["blocks"]?[3]?["elements"]?[1]?["type"]?.string == "users_select")
        #expect(json["text"]?.string == "Case opened")
    }

    @Test func fiftyOneBlocksAreRefusedForAMessageButNotForAModal() throws {
        let blocks = (0..<51).map { Block.section("line \($0)") }
        #expect(throws: BlockKitError.self) { try Message("too long", blocks: blocks).validate() }
        let view = View(title: "Fine", callbackID: "v") { blocks }
        try view.validate()
        let tooMany = View(title: "Too many", callbackID: "v") { (0..<101).map { Block.section("line \($0)") } }
        #expect(throws: BlockKitError.self) { try tooMany.validate() }
    }

    @Test func textLimitsNameTheOffendingField() {
        let long = String(repeating: "x", count: 3001)
        #expect(throws: BlockKitError(path: "blocks[0].text", problem: "is 3001 characters; at most 3000")) {
            try Message("t", blocks: [.section(long)]).validate()
        }
        #expect(throws: BlockKitError.self) { try Message("t", blocks: [.header(String(repeating: "h", count: 151))]).validate() }
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.actions([.button(String(repeating: "b", count: 76), actionID: "a")])]).validate()
        }
        #expect(throws: BlockKitError.self) { try View(title: String(repeating: "t", count: 25), callbackID: "v") { Block.divider }.validate() }
    }

    @Test func idsMustBeUniqueAndShort() {
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.section("a", blockID: "same"), .section("b", blockID: "same")]).validate()
        }
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.actions([.button("A", actionID: "dup"), .button("B", actionID: "dup")])]).validate()
        }
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.actions([.button("A", actionID: String(repeating: "i", count: 256))])]).validate()
        }
    }

    @Test func inputBlocksBelongInModalsWithASubmitButton() throws {
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.input("Name", element: .textInput(actionID: "name"), blockID: "name")]).validate()
        }
        let noSubmit = View(title: "Form", callbackID: "f") { Block.input("Name", element: .textInput(actionID: "name"), blockID: "name") }
        #expect(throws: BlockKitError(path: "view.submit", problem: "is required when the view has an input block")) { try noSubmit.validate() }
        let form = View(title: "Form", callbackID: "f", submit: "Save") { Block.input("Name", element: .textInput(actionID: "name"), blockID: "name") }
        try form.validate()
    }

    @Test func selectsNeedOptionsWithinLimits() {
        let tooMany = (0..<101).map { Option("o\($0)", value: "\($0)") }
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.actions([.staticSelect(actionID: "s", placeholder: "Pick", options: tooMany)])]).validate()
        }
        #expect(throws: BlockKitError.self) {
            try Message("t", blocks: [.actions([.staticSelect(actionID: "s", placeholder: "Pick", options: [])])]).validate()
        }
    }
}

@Suite("Kit values")
struct KitValueTests {
    @Test func jsonValuesRoundTripWithStableKeys() throws {
        let value: JSONValue = ["b": 1, "a": [true, nil, "x"], "c": ["n": 2.5]]
        #expect(value.encoded() == #"{"a":[true,null,"x"],"b":1,"c":{"n":2.5}}"#)
        #expect(try JSONValue.decode(value.encoded()) == value)
        #expect(value["c"]?["n"]?.double == 2.5)
        #expect(JSONValue.string("42").int == 42)
        #expect(JSONValue.string("true").bool == true)
    }

    @Test func mentionsParseToUserIDs() {
        #expect(parseUserMention("<@U0BOB|bob>") == "U0BOB")
        #expect(parseUserMention(" <@U0BOB> ") == "U0BOB")
        #expect(parseUserMention("@bob") == nil)
        #expect(parseUserMention("<#C123|general>") == nil)
    }

    @Test func templatesFillKnownPlaceholdersAndKeepUnknownOnes() {
        let template = Template("{{commander}} please post an update on {{ case }} ({{typo}})")
        #expect(template.render(["commander": "<@U1>", "case": "#case-db"]) == "<@U1> please post an update on #case-db ({{typo}})")
    }

    @Test func configDurationsParseUnitsAndRefuseBareNumbers() {
        #expect(ConfigDuration(parsing: "90s")?.duration == .seconds(90))
        #expect(ConfigDuration(parsing: "1h30m")?.duration == .seconds(5400))
        #expect(ConfigDuration(parsing: "7d")?.duration == .seconds(604_800))
        #expect(ConfigDuration(parsing: "30") == nil)
        #expect(ConfigDuration(parsing: "5 minutes") == nil)
    }

    @Test func usersAreClassifiedAsAnIncidentToolNeeds() {
        let member = SlackUser(id: "U1", teamID: "T1", name: "a")
        let external = SlackUser(id: "U2", teamID: "T2", name: "b")
        let stranger = SlackUser(id: "U3", teamID: "T1", name: "c", isStranger: true)
        let bot = SlackUser(id: "U4", teamID: "T1", name: "d", isBot: true)
        #expect(member.isMember(of: "T1"))
        #expect(external.isExternal(to: "T1") && !external.isMember(of: "T1"))
        #expect(stranger.isExternal(to: "T1"))
        #expect(!bot.isMember(of: "T1"))
    }
}
