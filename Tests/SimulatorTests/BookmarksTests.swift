import CasebookKit
import SlackSimulator
import Testing

/// `bookmarks.add` as Slack answers it: scope, channel, membership, arguments, and what is stored.
@Suite struct BookmarksTests {
    @Test func addValidatesLikeSlackAndStoresTheBookmark() async throws {
        try await SlackSimulator.withRunning { sim in
            let guide = ["channel_id": "C0INCIDENTS", "title": "Incident guide", "type": "link", "link": "https://wiki.test/guide"]
            sim.grantScopes(["chat:write", "channels:manage"])
            #expect(try await Client.form(sim, "bookmarks.add", guide).error == "missing_scope")
            sim.grantScopes(nil)

            #expect(try await Client.form(sim, "bookmarks.add", guide.merging(["channel_id": "C0NOPE"]) { $1 }).error == "channel_not_found")
            // #general: the bot is not a member.
            #expect(try await Client.form(sim, "bookmarks.add", guide.merging(["channel_id": "C0GENERAL"]) { $1 }).error == "not_in_channel")
            #expect(try await Client.form(sim, "bookmarks.add", guide.merging(["type": "message"]) { $1 }).error == "invalid_bookmark_type")
            #expect(try await Client.form(sim, "bookmarks.add", guide.merging(["link": "ftp://wiki.test/guide"]) { $1 }).error == "invalid_link")
            #expect(try await Client.form(sim, "bookmarks.add", guide.merging(["title": String(repeating: "t", count: 257)]) { $1 }).error == "invalid_title")
            #expect(sim.channel("incidents")?.bookmarks.isEmpty == true)

            let added = try await Client.form(sim, "bookmarks.add", guide)
            #expect(added.ok)
            #expect(added.json["bookmark"]?["id"]?.string?.hasPrefix("Bk") == true)
            #expect(added.json["bookmark"]?["link"]?.string == "https://wiki.test/guide")
            #expect(sim.channel("incidents")?.bookmarks.map(\.title) == ["Incident guide"])

            #expect(try await Client.form(sim, "conversations.archive", ["channel": "C0ALERTS"]).ok)
            #expect(try await Client.form(sim, "bookmarks.add", guide.merging(["channel_id": "C0ALERTS"]) { $1 }).error == "is_archived")
        }
    }
}
