import CasebookKit
import SlackSimulator
import Testing

@Suite struct WebAPITests {
    @Test func authenticationErrors() async throws {
        try await SlackSimulator.withRunning { sim in
            #expect(try await Client.form(sim, "auth.test", token: nil).error == "not_authed")
            #expect(try await Client.form(sim, "auth.test", token: "xoxb-wrong").error == "invalid_auth")
            #expect(try await Client.form(sim, "auth.test", token: "app").error == "not_allowed_token_type")
            #expect(try await Client.form(sim, "apps.connections.open", token: "bot").error == "not_allowed_token_type")
            // The token as a form field works; in a JSON body it is ignored.
            let viaForm = try await Client.form(sim, "auth.test", ["token": sim.botToken], token: nil)
            #expect(viaForm.ok)
            #expect(viaForm.json["user_id"]?.string == "U0CASEBOT")
            #expect(viaForm.json["team_id"]?.string == "T0CASEBOOK")
            #expect(try await Client.json(sim, "auth.test", ["token": .string(sim.botToken)], token: nil).error == "not_authed")
            // apps.connections.open only takes the app token from the header.
            #expect(try await Client.form(sim, "apps.connections.open", ["token": sim.appToken], token: nil).error == "not_authed")
            #expect(try await Client.form(sim, "no.such.method").error == "unknown_method")
        }
    }

    @Test func jsonBodiesOnlyWhereSupported() async throws {
        try await SlackSimulator.withRunning { sim in
            let posted = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "hello"])
            #expect(posted.ok)
            #expect(posted.json["message"]?["text"]?.string == "hello")
            // conversations.info does not accept JSON: the body is ignored, so `channel` is missing.
            let info = try await Client.json(sim, "conversations.info", ["channel": "C0INCIDENTS"])
            #expect(info.error == "invalid_arguments")
            #expect(info.json["response_metadata"]?["messages"]?[0]?.string == "[ERROR] missing required field: channel")
            #expect(try await Client.form(sim, "conversations.info", ["channel": "C0INCIDENTS"]).json["channel"]?["name"]?.string == "incidents")
            // Present but empty resolves to nothing rather than "missing".
            #expect(try await Client.form(sim, "conversations.info", ["channel": ""]).error == "channel_not_found")
            // Form-encoded blocks arrive as a JSON string.
            let blocks = #"[{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}}]"#
            let form = try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x", "blocks": blocks])
            #expect(form.json["message"]?["blocks"]?[0]?["text"]?["text"]?.string == "*hi*")
            #expect(form.json["message"]?["blocks"]?[0]?["block_id"]?.string != nil)
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "blocks": "not json"]).error == "invalid_blocks_format")
        }
    }

    @Test func missingScopeNamesNeededAndProvided() async throws {
        try await SlackSimulator.withRunning(.seeded(grantedScopes: ["chat:write", "users:read"])) { sim in
            let answer = try await Client.form(sim, "conversations.create", ["name": "inc-1"])
            #expect(answer.error == "missing_scope")
            #expect(answer.json["needed"]?.string?.contains("channels:manage") == true)
            #expect(answer.json["provided"]?.string == "chat:write,users:read")
            #expect(try await Client.form(sim, "users.info", ["user": "U0ALICE"]).ok)
            sim.grantScopes(nil)
            #expect(try await Client.form(sim, "conversations.create", ["name": "inc-1"]).ok)
        }
    }

    @Test func channelNameRules() async throws {
        try await SlackSimulator.withRunning { sim in
            func create(_ name: String) async throws -> String? {
                let answer = try await Client.form(sim, "conversations.create", ["name": name])
                return answer.ok ? nil : answer.error
            }
            #expect(try await create("Incident-1") == "invalid_name_specials")
            #expect(try await create("inc 1") == "invalid_name_specials")
            #expect(try await create("---") == "invalid_name_punctuation")
            #expect(try await create(String(repeating: "a", count: 81)) == "invalid_name_maxlength")
            #expect(try await create("") == "invalid_name_required")
            #expect(try await create("general") == "name_taken")
            #expect(try await create("inc-2024_01") == nil)
            #expect(try await create("inc-2024_01") == "name_taken")
            let channel = try #require(sim.channel("inc-2024_01"))
            #expect(channel.members == ["U0CASEBOT"])
            #expect(channel.id.hasPrefix("C"))
            let events = sim.takeEmittedEvents().compactMap { $0["event"]?["type"]?.string }
            #expect(events.contains("member_joined_channel"))
            #expect(sim.takeEmittedEvents().isEmpty)
        }
    }

    @Test func invitesNeedMembershipAndReportPerUserErrors() async throws {
        try await SlackSimulator.withRunning { sim in
            #expect(try await Client.form(sim, "conversations.invite", ["channel": "C0GENERAL", "users": "U0BOB"]).error == "not_in_channel")
            #expect(try await Client.form(sim, "conversations.invite", ["channel": "C0INCIDENTS", "users": "U0BOB"]).error == "already_in_channel")
            #expect(try await Client.form(sim, "conversations.invite", ["channel": "C0INCIDENTS", "users": "U0CASEBOT"]).error == "cant_invite_self")
            let mixed = try await Client.form(sim, "conversations.invite", ["channel": "C0ALERTS", "users": "U0BOB,U0NOBODY"])
            #expect(mixed.error == "user_not_found")
            #expect(mixed.json["errors"]?[0]?["user"]?.string == "U0NOBODY")
            #expect(sim.channel("alerts")?.members.contains("U0BOB") == false)
            let forced = try await Client.form(sim, "conversations.invite", ["channel": "C0ALERTS", "users": "U0BOB,U0NOBODY", "force": "true"])
            #expect(forced.ok)
            #expect(sim.channel("alerts")?.members.contains("U0BOB") == true)
            let tooMany = (0..<101).map { "U\($0)" }.joined(separator: ",")
            #expect(try await Client.form(sim, "conversations.invite", ["channel": "C0ALERTS", "users": tooMany]).error == "too_many_users")
            #expect(try await Client.form(sim, "conversations.join", ["channel": "C0GENERAL"]).ok)
            #expect(try await Client.form(sim, "conversations.invite", ["channel": "C0GENERAL", "users": "U0ERIN"]).error == "no_external_invite_permission")
        }
    }

    @Test func membersArePaginatedWithCursors() async throws {
        try await SlackSimulator.withRunning { sim in
            var collected: [String] = []
            var cursor = ""
            var pages = 0
            repeat {
                var fields = ["channel": "C0GENERAL", "limit": "3"]
                if !cursor.isEmpty { fields["cursor"] = cursor }
                let page = try await Client.form(sim, "conversations.members", fields)
                #expect(page.ok)
                collected += page.json["members"]?.array?.compactMap(\.string) ?? []
                cursor = page.json["response_metadata"]?["next_cursor"]?.string ?? ""
                pages += 1
            } while !cursor.isEmpty && pages < 10
            #expect(pages == 2)
            #expect(collected == ["U0ALICE", "U0BOB", "U0CAROL", "U0DAVE"])
            #expect(try await Client.form(sim, "conversations.members", ["channel": "C0GENERAL", "cursor": "bogus"]).error == "invalid_cursor")
        }
    }

    @Test func postingRules() async throws {
        try await SlackSimulator.withRunning(.seeded(grantedScopes: ["chat:write", "channels:manage"])) { sim in
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0GENERAL", "text": "hi"]).error == "not_in_channel")
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0NOPE", "text": "hi"]).error == "channel_not_found")
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS"]).error == "no_text")
            let tooMany = JSONValue.array(Array(repeating: ["type": "divider"], count: 51))
            let answer = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x", "blocks": tooMany])
            #expect(answer.error == "invalid_blocks")
            #expect(answer.json["response_metadata"]?["messages"]?[0]?.string?.contains("/blocks") == true)
            let malformed = try await Client.json(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "x", "blocks": [["type": "sektion"]]])
            #expect(malformed.error == "invalid_blocks")
            // A user id posts to the DM with that user.
            let dm = try await Client.form(sim, "chat.postMessage", ["channel": "U0ALICE", "text": "psst"])
            let dmChannel = try #require(dm.json["channel"]?.string)
            #expect(dmChannel.hasPrefix("D"))
            #expect(sim.messages(in: dmChannel).map(\.text) == ["psst"])
            sim.grantScopes(["chat:write", "chat:write.public", "channels:manage"])
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0GENERAL", "text": "hi"]).ok)
            #expect(try await Client.form(sim, "conversations.archive", ["channel": "C0GENERAL"]).error == "cant_archive_general")
            #expect(try await Client.form(sim, "conversations.archive", ["channel": "C0INCIDENTS"]).ok)
            #expect(try await Client.form(sim, "conversations.archive", ["channel": "C0INCIDENTS"]).error == "already_archived")
            #expect(try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "hi"]).error == "is_archived")
        }
    }

    @Test func messagesCanOnlyBeEditedByTheirAuthor() async throws {
        try await SlackSimulator.withRunning { sim in
            let human = try sim.postAsUser("alice", channel: "incidents", text: "db is down")
            #expect(try await Client.form(sim, "chat.update", ["channel": "C0INCIDENTS", "ts": human, "text": "x"]).error == "cant_update_message")
            #expect(try await Client.form(sim, "chat.update", ["channel": "C0INCIDENTS", "ts": "1.000001", "text": "x"]).error == "message_not_found")
            let posted = try await Client.form(sim, "chat.postMessage", ["channel": "C0INCIDENTS", "text": "v1"])
            let ts = try #require(posted.json["ts"]?.string)
            #expect(try await Client.form(sim, "chat.update", ["channel": "C0INCIDENTS", "ts": ts, "text": "v2"]).ok)
            #expect(sim.message(in: "incidents", ts: ts)?.text == "v2")
            #expect(sim.message(in: "incidents", ts: ts)?.edited != nil)
            #expect(try await Client.form(sim, "pins.add", ["channel": "C0INCIDENTS", "timestamp": ts]).ok)
            #expect(try await Client.form(sim, "pins.add", ["channel": "C0INCIDENTS", "timestamp": ts]).error == "already_pinned")
            let link = try await Client.form(sim, "chat.getPermalink", ["channel": "C0INCIDENTS", "message_ts": ts])
            #expect(link.json["permalink"]?.string?.hasPrefix("https://casebook-sim.slack.com/archives/C0INCIDENTS/p") == true)
            #expect(try await Client.form(sim, "chat.postEphemeral", ["channel": "C0INCIDENTS", "user": "U0DAVE", "text": "x"]).error == "user_not_in_channel")
            #expect(try await Client.form(sim, "chat.postEphemeral", ["channel": "C0INCIDENTS", "user": "U0BOB", "text": "only you"]).ok)
            #expect(sim.ephemeralMessages(for: "bob").map(\.text) == ["only you"])
            // The call log records what was called, and never a message-reading method.
            #expect(sim.calledMethods.contains("pins.add"))
            #expect(!sim.calledMethods.contains { $0.hasPrefix("conversations.history") || $0.hasPrefix("search.") })
        }
    }
}
