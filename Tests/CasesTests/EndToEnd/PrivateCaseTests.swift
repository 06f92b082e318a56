import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Testing
@testable import CasesPlugin
@testable import RolesPlugin

/// Private cases (#18 point 6): `/case open --private` and the Start modal's box, with
/// `allow_private: true`. The channel is private with only the opener in it; broadcast places and
/// people outside it see "a private case", never its title.
@Suite struct PrivateCaseTests {
    static let config = CasesHarness.config().replacingOccurrences(
        of: "      export_authorized_users: U0ALICE, U0BOB\n", with: "      export_authorized_users: U0ALICE, U0BOB\n      allow_private: true\n")
    static let secret = "Payroll fraud suspicion"

    static func storedCases(_ host: TestHost) async throws -> [Case] {
        let storage = try host.app.database.storage(plugin: CasesPlugin.id) as any PluginStorage
        return try await storage.read { db in try await CaseStore.active(limit: 100, on: db) }
    }

    static func viewText(_ host: TestHost, _ user: String) -> String {
        SlackReply(text: "", blocks: host.simulator.topView(for: user)?.blocks ?? []).allText
    }

    /// Opens the private case as bob; returns its channel.
    static func openPrivate(_ host: TestHost) async throws -> Conversation {
        try await CasesHarness.open(host, "--private \(secret)", as: "bob")
    }

    @Test func aPrivateCaseOpensAPrivateChannelWithOnlyTheOpenerAndAnnouncesNoTitle() async throws {
        #expect(Self.config.contains("allow_private: true"))
        try await CasesHarness.run(config: Self.config) { host in
            let before = CasesHarness.messages(host, in: "C0INCIDENTS").count
            let channel = try await Self.openPrivate(host)
            #expect(channel.kind == .privateChannel)
            #expect(Set(channel.members) == [host.simulator.botUserID, "U0BOB"])
            let created = try #require(host.simulator.calls(to: "conversations.create").last)
            #expect(created.arguments["is_private"] == .bool(true) || created.arguments["is_private"]?.string == "true")

            let item = try #require(try await Self.storedCases(host).first)
            #expect(item.isPrivate && item.title == Self.secret && item.openedBy == "U0BOB")
            let opened = try #require(try await host.app.database.auditEntries().first { $0.action == "case.opened" })
            #expect(opened.details["private"] == .bool(true))

            // The notifications channel hears that a private case was opened, and by whom — nothing more.
            let notices = CasesHarness.messages(host, in: "C0INCIDENTS").dropFirst(before).map(CasesHarness.text)
            #expect(notices.count == 1)
            let notice = try #require(notices.first)
            #expect(notice.contains("private case was opened by <@U0BOB>"), "\(notice)")
            #expect(!notice.contains("Payroll") && !notice.contains(channel.id) && !notice.contains(channel.name), "\(notice)")

            // Escalation invites the response group (alice, bob) as for any case, and the
            // announcement still carries no title.
            try await host.slash("incident", as: "bob", in: channel.id)
            try await host.settleJobs()
            #expect(host.simulator.channel(channel.id)?.members.contains("U0ALICE") == true)
            #expect(host.simulator.channel(channel.id)?.members.contains("U0CAROL") == false)
            let all = CasesHarness.messages(host, in: "C0INCIDENTS").map(CasesHarness.text)
            #expect(all.contains { $0.contains("a private case* is now an incident") }, "\(all)")
            #expect(all.allSatisfy { !$0.contains("Payroll") && !$0.contains(channel.id) }, "\(all)")
            // In its own channel the case is all there.
            #expect(CasesHarness.messages(host, in: channel.id).contains { CasesHarness.text($0).contains(Self.secret) })
        }
    }

    @Test(arguments: TestDatabase.backends)
    func listAndStatsCountAPrivateCaseButOnlyItsMembersSeeItsTitle(_ backend: TestDatabase.Backend) async throws {
        try await CasesHarness.run(config: Self.config, database: backend) { host in
            let open = try await CasesHarness.open(host, "Checkout errors", as: "alice")
            let hidden = try await Self.openPrivate(host)

            let outsider = try #require(try await host.slash("list", as: "carol", in: "general"))
            #expect(outsider.responseType == "ephemeral")
            let seen = outsider.allText
            #expect(seen.contains("2 active cases"), "\(seen)")
            #expect(seen.contains("<#\(open.id)>") && seen.contains("Checkout errors"))
            #expect(seen.contains("a private case"), "\(seen)")
            #expect(!seen.contains("Payroll") && !seen.contains(hidden.id) && !seen.contains(hidden.name), "\(seen)")

            let member = try #require(try await host.slash("list", as: "bob", in: "general")).allText
            #expect(member.contains("2 active cases") && member.contains(Self.secret) && member.contains("<#\(hidden.id)>"), "\(member)")

            // Someone who joins later (invited by a member) sees it too.
            await #expect(throws: (any Error).self) { try await host.join("carol", hidden.id) }  // private: by invitation only
            try await host.deliver(try host.simulator.memberJoinedChannel(user: "carol", channel: hidden.id, inviter: "bob"))
            #expect(try #require(try await host.slash("list", as: "carol", in: "general")).allText.contains(Self.secret))

            let stats = try #require(try await host.slash("stats", as: "alice", in: "general")).text
            #expect(stats.contains("2 open investigations"), "\(stats)")
            #expect(stats.contains("2 opened"), "\(stats)")
            #expect(!stats.contains("Payroll"))
        }
    }

    @Test func onlyAuthorisedExportersGetAPrivateCaseAndTheyGetItsTitle() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            _ = try await CasesHarness.open(host, "Checkout errors", as: "alice")
            let hidden = try await Self.openPrivate(host)

            let refused = try #require(try await host.slash("export", as: "carol", in: "general"))
            #expect(refused.text.contains("not allowed to export"), "\(refused.text)")
            #expect(host.simulator.files.isEmpty)
            #expect(host.simulator.directMessageChannel(with: "carol") == nil)

            // alice is authorised and not in the private channel: an export is hers to have.
            let reply = try await host.slash("export", as: "alice", in: "general")
            #expect(reply?.text.contains("2 cases") == true, "\(reply?.text ?? "")")
            let csv = String(decoding: try #require(host.simulator.files.last?.data), as: UTF8.self)
            let lines = csv.split(separator: "\r\n")
            #expect(lines.first?.hasSuffix(",time_to_resolve_seconds,private") == true)
            let row = try #require(lines.first { $0.contains(hidden.id) })
            #expect(row.contains(Self.secret) && row.hasSuffix(",yes"))
            #expect(lines.first { $0.contains("Checkout errors") }?.hasSuffix(",no") == true)
        }
    }

    @Test func withoutAllowPrivateTheFlagIsRefusedPrivatelyAndNothingOpens() async throws {
        try await CasesHarness.run { host in
            #expect(host.simulator.grantedScopes?.contains("groups:write") == false)
            let conversations = host.simulator.conversations.count
            let notices = CasesHarness.messages(host, in: "C0GENERAL").count + CasesHarness.messages(host, in: "C0INCIDENTS").count

            let reply = try #require(try await host.slash("open --private \(Self.secret)", as: "bob", in: "general"))
            #expect(reply.responseType == "ephemeral")
            #expect(reply.text.contains("Private cases are not enabled") && reply.text.contains("allow_private: true"), "\(reply.text)")
            try await host.settleJobs()
            #expect(host.simulator.conversations.count == conversations)
            #expect(host.simulator.calls(to: "conversations.create").isEmpty)
            #expect(CasesHarness.messages(host, in: "C0GENERAL").count + CasesHarness.messages(host, in: "C0INCIDENTS").count == notices)
            #expect(host.simulator.directMessageChannel(with: "bob") == nil)
            #expect(try await Self.storedCases(host).isEmpty)
            #expect(try await CasesHarness.auditActions(host).isEmpty)

            // The Start modal offers no box for it.
            try await host.globalShortcut(StartModal.callbackID.wire, as: "bob")
            try await host.waitUntil("the Start modal") { host.simulator.topView(for: "bob")?.callbackID == StartModal.callbackID.wire }
            let blocks = try #require(host.simulator.topView(for: "bob")).blocks.compactMap { $0["block_id"]?.string }
            #expect(!blocks.contains(StartModal.privacyBlock))
        }
    }

    @Test func theStartModalsBoxOpensAPrivateCase() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            try await host.globalShortcut(StartModal.callbackID.wire, as: "carol")
            try await host.waitUntil("the Start modal") { host.simulator.topView(for: "carol")?.callbackID == StartModal.callbackID.wire }
            let view = try #require(host.simulator.topView(for: "carol"))
            let box = try #require(view.blocks.first { $0["block_id"]?.string == StartModal.privacyBlock })
            #expect(box["element"]?["type"]?.string == "checkboxes")

            try await host.submitTopView(as: "carol", values: [
                StartModal.descriptionBlock: [StartModal.descriptionBlock: Self.secret],
                StartModal.kindBlock: [StartModal.kindBlock: StartModal.investigation],
                StartModal.privacyBlock: [StartModal.privacyBlock: StartModal.privateOption],
            ])
            try await host.settleJobs()
            let item = try #require(try await Self.storedCases(host).first)
            #expect(item.isPrivate && item.openedBy == "U0CAROL")
            let channel = try #require(host.simulator.channel(item.channelID))
            #expect(channel.kind == .privateChannel && Set(channel.members) == [host.simulator.botUserID, "U0CAROL"])
            #expect(CasesHarness.messages(host, in: "C0INCIDENTS").map(CasesHarness.text).allSatisfy { !$0.contains("Payroll") })

            // Left unticked, the box opens a public case as before.
            try await host.globalShortcut(StartModal.callbackID.wire, as: "bob")
            try await host.waitUntil("the Start modal") { host.simulator.topView(for: "bob")?.callbackID == StartModal.callbackID.wire }
            try await host.submitTopView(as: "bob", values: [StartModal.descriptionBlock: [StartModal.descriptionBlock: "Checkout errors"]])
            try await host.settleJobs()
            let open = try #require(try await Self.storedCases(host).first { $0.openedBy == "U0BOB" })
            #expect(!open.isPrivate && host.simulator.channel(open.channelID)?.kind == .publicChannel)
        }
    }

    /// Event snapshots in the outbox from before private cases still decode, as public cases.
    @Test func aPublicCaseSnapshotIsUnchangedAndAPrivateOneSaysSo() throws {
        let item = Case(id: "c1", name: "case-x", title: "X", channelID: "C1", openedBy: "U1", openedAt: Date(timeIntervalSince1970: 0))
        let publicJSON = try JSONValue.from(item)
        #expect(publicJSON.object?.keys.contains { $0.lowercased().contains("private") } == false)
        #expect(try publicJSON.decode(as: Case.self).isPrivate == false)
        var secret = item
        secret.isPrivate = true
        #expect(try JSONValue.from(secret).decode(as: Case.self).isPrivate)
        #expect(secret.publicTitle == Case.privateTitle && secret.publicChannel == "🔒")
        #expect(secret.visibleTitle(toMember: true) == "X" && item.publicTitle == "X" && item.publicChannel == "<#C1>")
    }

    @Test func allowPrivateIsOffUnlessSetAndMustBeABoolean() throws {
        #expect(try decodeConfiguration(#"{"notifications_channel": "C1"}"#).allowPrivate == false)
        #expect(try decodeConfiguration(#"{"notifications_channel": "C1", "allow_private": true}"#).allowPrivate == true)
        #expect(throws: ConfigurationErrors.self) { try decodeConfiguration(#"{"notifications_channel": "C1", "allow_private": "sometimes"}"#) }
    }

    @Test func theManifestAsksForPrivateChannelScopesOnlyWhenAllowed() throws {
        var configuration = CasesPlugin.Configuration(notificationsChannel: "C0INCIDENTS")
        let off = CasesPlugin.requirements(for: configuration).scopes
        #expect(off.isDisjoint(with: ["groups:write", "groups:write.invites", "groups:read"]))
        configuration.allowPrivate = true
        let on = CasesPlugin.requirements(for: configuration).scopes
        #expect(on.isSuperset(of: ["groups:write", "groups:write.invites", "groups:read"]))
        #expect(on.subtracting(off) == ["groups:write", "groups:write.invites", "groups:read"])
        // Still never a scope that reads messages.
        #expect(on.allSatisfy { !$0.hasSuffix(":history") })
        // The host refuses a private channel to a plugin that declared only the public-channel scopes.
        let create: [String: JSONValue] = ["name": "case-x", "is_private": true]
        #expect(PluginSlackClient.privateChannelRefusal("conversations.create", create, off)?.needed == "groups:write")
        #expect(PluginSlackClient.privateChannelRefusal("conversations.create", create, on) == nil)
        #expect(PluginSlackClient.privateChannelRefusal("conversations.create", ["name": "case-x", "is_private": false], off) == nil)
    }

    @Test func theGrantedManifestLetsThePrivateCaseWorkEndToEnd() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let granted = try #require(host.simulator.grantedScopes)
            #expect(granted.isSuperset(of: ["groups:write", "groups:write.invites", "groups:read"]))
            let channel = try await Self.openPrivate(host)
            try await host.slash("close", as: "bob", in: channel.id)
            try await host.settleJobs()
            #expect(host.simulator.channel(channel.id)?.isArchived == true)
        }
    }

    @Test func theDigestAndPostAnUpdateShowAPrivateIncidentOnlyToItsMembers() async throws {
        let config = RolesHarness.config().replacingOccurrences(
            of: "notifications_channel: C0INCIDENTS\n", with: "notifications_channel: C0INCIDENTS\n      allow_private: true\n")
        #expect(config.contains("allow_private: true"))
        try await RolesHarness.run(config: config) { host in
            let channel = try await Self.openPrivate(host)
            try await host.slash("incident", as: "bob", in: channel.id)
            try await host.settleJobs()
            try await host.waitUntil("the digest") { !RolesHarness.messages(host, in: RolesHarness.digest).isEmpty }
            let digest = RolesHarness.messages(host, in: RolesHarness.digest).map(RolesHarness.text)
            #expect(digest.contains { $0.contains("a private case") }, "\(digest)")
            #expect(digest.allSatisfy { !$0.contains("Payroll") && !$0.contains(channel.id) && !$0.contains(channel.name) }, "\(digest)")

            // An update is posted in the case channel only: nothing threads under the digest.
            try await UpdateAndDigestTests.postUpdate(host, channel.id, as: "bob", impact: "Payroll export paused", text: "Payroll ledger frozen")
            #expect(CasesHarness.messages(host, in: channel.id).contains { CasesHarness.text($0).contains("Payroll ledger frozen") })
            let afterUpdate = host.simulator.messages(in: RolesHarness.digest).map(RolesHarness.text)
            #expect(afterUpdate.allSatisfy { !$0.contains("Payroll") }, "\(afterUpdate)")

            // "Post an update" offers the incident to a member, and to nobody else.
            try await host.globalShortcut("roles.post_update", as: "carol")
            try await host.waitUntil("carol's modal") { host.simulator.topView(for: "carol") != nil }
            #expect(host.simulator.topView(for: "carol")?.callbackID == "roles.post_update.none")
            try await host.globalShortcut("roles.post_update", as: "bob")
            try await host.waitUntil("bob's modal") { host.simulator.topView(for: "bob") != nil }
            #expect(host.simulator.topView(for: "bob")?.callbackID == "roles.post_update")
            #expect(Self.viewText(host, "bob").contains(Self.secret))
        }
    }

    @Test func collectEvidenceOffersAPrivateCaseOnlyToItsMembers() async throws {
        try await CasesHarness.run(config: Self.config) { host in
            let open = try await CasesHarness.open(host, "Checkout errors", as: "alice")
            let hidden = try await Self.openPrivate(host)
            let ts = try host.simulator.postAsUser("carol", channel: "general", text: "look at this")

            try await host.messageShortcut("collect_evidence", as: "carol", channel: "C0GENERAL", messageTS: ts)
            try await host.waitUntil("carol's modal") { host.simulator.topView(for: "carol") != nil }
            let offered = Self.viewText(host, "carol")
            #expect(offered.contains(open.name) && !offered.contains(hidden.name) && !offered.contains("Payroll"), "\(offered)")

            try await host.messageShortcut("collect_evidence", as: "bob", channel: "C0GENERAL", messageTS: ts)
            try await host.waitUntil("bob's modal") { host.simulator.topView(for: "bob") != nil }
            #expect(Self.viewText(host, "bob").contains(hidden.name))
        }
    }

    @Test func theHomeTabShowsAPrivateCaseTitleOnlyToPeopleInIt() async throws {
        let config = Self.config.replacingOccurrences(of: "      allow_private: true\n", with: "      allow_private: true\n      home_tab: true\n")
        #expect(config.contains("home_tab: true"))
        try await CasesHarness.run(config: config) { host in
            let hidden = try await Self.openPrivate(host)
            let outsider = AppHomeTests.text(try await AppHomeTests.openHome(host, as: "carol").blocks)
            #expect(outsider.contains("1 open case") && outsider.contains("a private case"), "\(outsider)")
            #expect(!outsider.contains("Payroll") && !outsider.contains(hidden.id), "\(outsider)")
            let member = AppHomeTests.text(try await AppHomeTests.openHome(host, as: "bob").blocks)
            #expect(member.contains(Self.secret) && member.contains("<#\(hidden.id)>"), "\(member)")
        }
    }
}
