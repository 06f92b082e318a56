import CasebookKit
import SlackSimulator
import Testing

/// Private channels as Slack grants them: per channel type, so a `channels:` scope never creates,
/// invites to, sets the topic of, reads or archives a private channel, and nobody joins one uninvited.
@Suite struct PrivateChannelTests {
    static let publicOnly: Set<String> = ["channels:manage", "channels:read", "channels:write.invites", "channels:write.topic", "chat:write"]

    @Test func publicChannelScopesDoNotReachPrivateChannels() async throws {
        try await SlackSimulator.withRunning(.seeded(grantedScopes: Self.publicOnly)) { sim in
            #expect(try await Client.form(sim, "conversations.create", ["name": "open-1"]).ok)
            let refused = try await Client.form(sim, "conversations.create", ["name": "secret-1", "is_private": "true"])
            #expect(refused.error == "missing_scope")
            #expect(refused.json["needed"]?.string == "groups:write")
            #expect(sim.conversations.allSatisfy { $0.name != "secret-1" })

            sim.grantScopes(Self.publicOnly.union(["groups:write"]))
            let created = try await Client.form(sim, "conversations.create", ["name": "secret-1", "is_private": "true"])
            let id = try #require(created.json["channel"]?["id"]?.string)
            #expect(created.json["channel"]?["is_private"] == .bool(true))
            #expect(sim.channel(id)?.members == [sim.botUserID])
            // groups:write covers invitations and the topic; reading members needs groups:read.
            #expect(try await Client.form(sim, "conversations.invite", ["channel": id, "users": "U0BOB"]).ok)
            #expect(try await Client.form(sim, "conversations.setTopic", ["channel": id, "topic": "x"]).ok)
            #expect(try await Client.form(sim, "conversations.members", ["channel": id]).error == "missing_scope")

            // The narrower grants: invitations with groups:write.invites, never with channels:write.invites.
            sim.grantScopes(Self.publicOnly.union(["groups:read"]))
            #expect(try await Client.form(sim, "conversations.members", ["channel": id]).json["members"]?.array?.count == 2)
            #expect(try await Client.form(sim, "conversations.invite", ["channel": id, "users": "U0CAROL"]).error == "missing_scope")
            #expect(try await Client.form(sim, "conversations.archive", ["channel": id]).error == "missing_scope")
            sim.grantScopes(Self.publicOnly.union(["groups:write.invites"]))
            #expect(try await Client.form(sim, "conversations.invite", ["channel": id, "users": "U0CAROL"]).ok)

            // Nobody joins it uninvited; a member's invitation lets them in.
            #expect(throws: SimulatorError.self) { try sim.memberJoinedChannel(user: "alice", channel: id) }
            #expect(throws: SimulatorError.self) { try sim.memberJoinedChannel(user: "alice", channel: id, inviter: "erin") }
            _ = try sim.memberJoinedChannel(user: "alice", channel: id, inviter: "bob")
            #expect(sim.channel(id)?.members.contains("U0ALICE") == true)
        }
    }
}
