import CasebookKit
import SlackSimulator
import Testing

@Suite struct ViewTests {
    static let modal: JSONValue = [
        "type": "modal", "callback_id": "declare", "title": ["type": "plain_text", "text": "Declare"],
        "submit": ["type": "plain_text", "text": "Declare"], "private_metadata": "C0INCIDENTS",
        "blocks": [
            ["type": "input", "block_id": "title", "label": ["type": "plain_text", "text": "Title"],
             "element": ["type": "plain_text_input", "action_id": "value"]],
            ["type": "input", "block_id": "severity", "label": ["type": "plain_text", "text": "Severity"],
             "element": ["type": "static_select", "action_id": "pick", "placeholder": ["type": "plain_text", "text": "Pick"],
                         "options": [["text": ["type": "plain_text", "text": "SEV1"], "value": "sev1"],
                                     ["text": ["type": "plain_text", "text": "SEV2"], "value": "sev2"]]]],
            ["type": "input", "block_id": "lead", "optional": true, "label": ["type": "plain_text", "text": "Lead"],
             "element": ["type": "users_select", "action_id": "user"]],
        ],
    ]

    @Test func triggerIDsExpireAfterThreeSecondsAndAreSingleUse() async throws {
        let clock = TestClock()
        try await SlackSimulator.withRunning(clock: clock) { sim in
            let late = try #require(try sim.globalShortcut(user: "alice", callbackID: "declare")["trigger_id"]?.string)
            clock.advance(3.5)
            #expect(try await Client.json(sim, "views.open", ["trigger_id": .string(late), "view": Self.modal]).error == "expired_trigger_id")
            #expect(try await Client.json(sim, "views.open", ["trigger_id": "123.456.abc", "view": Self.modal]).error == "invalid_trigger_id")
            let trigger = try #require(try sim.slashCommand(user: "alice", channel: "incidents", command: "/case")["trigger_id"]?.string)
            clock.advance(2)
            let opened = try await Client.json(sim, "views.open", ["trigger_id": .string(trigger), "view": Self.modal])
            #expect(opened.ok)
            #expect(opened.json["view"]?["id"]?.string?.hasPrefix("V") == true)
            #expect(opened.json["view"]?["hash"]?.string != nil)
            #expect(try await Client.json(sim, "views.open", ["trigger_id": .string(trigger), "view": Self.modal]).error == "exchanged_trigger_id")
            #expect(sim.openViews(for: "alice").map(\.callbackID) == ["declare"])
        }
    }

    @Test func pushLimitAndUpdateHashes() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.setTriggerLifetime(60) // behaviour, not speed: a loaded machine may take seconds between steps
            func trigger() throws -> JSONValue { try sim.globalShortcut(user: "bob", callbackID: "x")["trigger_id"] ?? .null }
            let root = try await Client.json(sim, "views.open", ["trigger_id": try trigger(), "view": Self.modal])
            #expect(try await Client.json(sim, "views.push", ["trigger_id": try trigger(), "view": Self.modal]).ok)
            #expect(try await Client.json(sim, "views.push", ["trigger_id": try trigger(), "view": Self.modal]).ok)
            #expect(try await Client.json(sim, "views.push", ["trigger_id": try trigger(), "view": Self.modal]).error == "push_limit_reached")
            #expect(sim.openViews(for: "bob").count == 3)
            let id = try #require(root.json["view"]?["id"])
            #expect(try await Client.json(sim, "views.update", ["view_id": id, "hash": "stale", "view": Self.modal]).error == "hash_conflict")
            let hash = try #require(root.json["view"]?["hash"])
            #expect(try await Client.json(sim, "views.update", ["view_id": id, "hash": hash, "view": Self.modal]).ok)
            #expect(try await Client.json(sim, "views.update", ["view_id": "V0NOPE", "view": Self.modal]).error == "not_found")
            var bad = Self.modal
            if case .object(var object) = bad { object["submit"] = nil; bad = .object(object) }
            #expect(try await Client.json(sim, "views.open", ["trigger_id": try trigger(), "view": bad]).error == "invalid_arguments")
        }
    }

    @Test func viewSubmissionUsesTheStoredViewAndAppliesResponseActions() async throws {
        try await SlackSimulator.withRunning { sim in
            sim.setTriggerLifetime(60) // behaviour, not speed: a loaded machine may take seconds between steps
            let trigger = try sim.globalShortcut(user: "carol", callbackID: "declare")["trigger_id"] ?? .null
            #expect(try await Client.json(sim, "views.open", ["trigger_id": trigger, "view": Self.modal]).ok)
            #expect(throws: SimulatorError.self) { try sim.viewSubmission(user: "carol", values: ["title": ["value": "DB down"]]) }
            #expect(throws: SimulatorError.self) { try sim.viewSubmission(user: "carol", values: ["nope": ["x": "1"]]) }
            let payload = try sim.viewSubmission(user: "carol", values: ["title": ["value": "DB down"], "severity": ["pick": "sev1"]])
            #expect(payload["type"]?.string == "view_submission")
            #expect(payload["view"]?["callback_id"]?.string == "declare")
            #expect(payload["view"]?["private_metadata"]?.string == "C0INCIDENTS")
            let values = payload["view"]?["state"]?["values"]
            #expect(values?["title"]?["value"]?["value"]?.string == "DB down")
            #expect(values?["severity"]?["pick"]?["selected_option"]?["value"]?.string == "sev1")
            #expect(values?["lead"]?["user"]?["selected_user"] == .null)
            #expect(payload["trigger_id"]?.string != nil)
            let modal = try #require(sim.renderModal(for: "carol"))
            #expect(modal.contains("\"DB down\""))
        }
    }

    @Test func untouchedElementsSubmitTheirInitialValues() async throws {
        let modal: JSONValue = [
            "type": "modal", "callback_id": "edit", "title": ["type": "plain_text", "text": "Edit"],
            "submit": ["type": "plain_text", "text": "Save"],
            "blocks": [
                ["type": "input", "block_id": "title", "label": ["type": "plain_text", "text": "Title"],
                 "element": ["type": "plain_text_input", "action_id": "value", "initial_value": "API latency up"]],
                ["type": "input", "block_id": "severity", "label": ["type": "plain_text", "text": "Severity"],
                 "element": ["type": "static_select", "action_id": "pick",
                             "options": [["text": ["type": "plain_text", "text": "SEV1"], "value": "sev1"],
                                         ["text": ["type": "plain_text", "text": "SEV2"], "value": "sev2"]],
                             "initial_option": ["text": ["type": "plain_text", "text": "SEV2"], "value": "sev2"]]],
                ["type": "input", "block_id": "lead", "label": ["type": "plain_text", "text": "Lead"],
                 "element": ["type": "users_select", "action_id": "user", "initial_user": "U0BOB"]],
                ["type": "input", "block_id": "notes", "optional": true, "label": ["type": "plain_text", "text": "Notes"],
                 "element": ["type": "plain_text_input", "action_id": "value"]],
            ],
        ]
        try await SlackSimulator.withRunning { sim in
            sim.setTriggerLifetime(60) // behaviour, not speed: a loaded machine may take seconds between steps
            let trigger = try sim.globalShortcut(user: "carol", callbackID: "edit")["trigger_id"] ?? .null
            #expect(try await Client.json(sim, "views.open", ["trigger_id": trigger, "view": modal]).ok)
            // Required inputs with an initial value are satisfied without typing anything.
            let untouched = try sim.viewSubmission(user: "carol")["view"]?["state"]?["values"]
            #expect(untouched?["title"]?["value"]?["value"]?.string == "API latency up")
            #expect(untouched?["severity"]?["pick"]?["selected_option"]?["value"]?.string == "sev2")
            #expect(untouched?["lead"]?["user"]?["selected_user"]?.string == "U0BOB")
            #expect(untouched?["notes"]?["value"]?["value"] == .null)
            // What the user changes wins over the initial value; clearing a required one is refused.
            let changed = try sim.viewSubmission(user: "carol", values: ["severity": ["pick": "sev1"]])["view"]?["state"]?["values"]
            #expect(changed?["severity"]?["pick"]?["selected_option"]?["value"]?.string == "sev1")
            #expect(changed?["title"]?["value"]?["value"]?.string == "API latency up")
            #expect(throws: SimulatorError.self) { try sim.viewSubmission(user: "carol", values: ["title": ["value": ""]]) }
        }
    }
}

/// The Home tab: `views.publish` per user, and `app_home_opened` when someone opens it.
@Suite struct HomeTabTests {
    static func home(_ text: String, blocks: Int = 1) -> JSONValue {
        ["type": "home", "callback_id": "home", "blocks": .array((0..<blocks).map { _ in ["type": "section", "text": ["type": "mrkdwn", "text": .string(text)]] })]
    }

    @Test func publishStoresOneHomeViewPerUserAndChecksItAsSlackDoes() async throws {
        try await SlackSimulator.withRunning { sim in
            let first = try await Client.json(sim, "views.publish", ["user_id": "U0ALICE", "view": Self.home("hello")])
            #expect(first.ok && first.json["view"]?["type"] == "home")
            let again = try await Client.json(sim, "views.publish", ["user_id": "U0ALICE", "view": Self.home("again")])
            #expect(again.json["view"]?["id"] == first.json["view"]?["id"], "a user has one Home view, replaced in place")
            #expect(sim.homeView(for: "alice")?.blocks.first?["text"]?["text"] == "again")
            #expect(sim.homeView(for: "bob") == nil)
            #expect(try await Client.json(sim, "views.publish", ["user_id": "U0NOBODY", "view": Self.home("x")]).error == "user_not_found")
            #expect(try await Client.json(sim, "views.publish", ["user_id": "U0BOB", "view": Self.home("x", blocks: 101)]).error == "invalid_arguments")
            #expect(try await Client.json(sim, "views.publish", ["user_id": "U0BOB", "view": ViewTests.modal]).error == "invalid_arguments")
            let big = String(repeating: "x", count: 2_900)
            #expect(try await Client.json(sim, "views.publish", ["user_id": "U0BOB", "view": Self.home(big, blocks: 90)]).error == "view_too_large")
            sim.enableHomeTab(false)
            #expect(try await Client.json(sim, "views.publish", ["user_id": "U0BOB", "view": Self.home("x")]).error == "not_enabled")
            #expect(throws: SimulatorError.self) { try sim.appHomeOpened(user: "bob") }
        }
    }

    @Test func openingTheHomeTabSendsTheEventWithTheCurrentView() async throws {
        try await SlackSimulator.withRunning { sim in
            let before = try sim.appHomeOpened(user: "alice")
            #expect(before["type"] == "event_callback")
            let event = try #require(before["event"])
            #expect(event["type"] == "app_home_opened" && event["user"] == "U0ALICE" && event["tab"] == "home")
            #expect(event["channel"]?.string?.hasPrefix("D") == true && event["view"] == nil)
            _ = try await Client.json(sim, "views.publish", ["user_id": "U0ALICE", "view": Self.home("hello")])
            let after = try #require(try sim.appHomeOpened(user: "alice")["event"])
            #expect(after["view"]?["id"] == .string(sim.homeView(for: "alice")?.id ?? ""))
            #expect(after["channel"] == event["channel"], "the app's DM with the user")
            #expect(try sim.appHomeOpened(user: "alice", tab: "messages")["event"]?["view"] == nil)
            #expect(sim.renderingOfHome(for: "alice")?.text.contains("hello") == true)
        }
    }
}
