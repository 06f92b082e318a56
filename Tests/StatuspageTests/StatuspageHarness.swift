import CasebookHost
import CasebookKit
import CasebookStore
import CasebookTesting
import SlackSimulator
import Synchronization
import Testing
@testable import CasesPlugin
@testable import RolesPlugin
@testable import StatuspagePlugin

/// The real host with the Cases, Roles and Statuspage plugins against the simulator's seeded
/// workspace (alice, bob, carol) and a seeded ``FakeStatuspage`` whose URL replaces `api_url`.
enum StatuspageHarness {
    static let api = "cmpapi000001"
    static let checkout = "cmpcheckout1"

    static func config(statuspage extra: String = "", apiKey: String = FakeStatuspage.seededAPIKey) -> String {
        """
        host:
          sockets: 1
        plugins:
          cases:
            enabled: true
            config:
              notifications_channel: C0INCIDENTS
          roles:
            enabled: true
            config:
              digest_channel: C0ALERTS
          statuspage:
            enabled: auto
            config:
              api_key: ${STATUSPAGE_API_KEY:-}
              page_id: ${STATUSPAGE_PAGE_ID:-}
              public_url: https://status.casebook.test
        \(extra.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n"))
        """
    }

    static func environment(apiKey: String = FakeStatuspage.seededAPIKey) -> [String: String] {
        ["STATUSPAGE_API_KEY": apiKey, "STATUSPAGE_PAGE_ID": FakeStatuspage.seededPageID]
    }

    /// Set `STATUSPAGE_TEST_LOG=1` to see the host's debug log.
    static func run<T: Sendable>(
        _ fake: FakeStatuspage = .seeded(), config: String = StatuspageHarness.config(), environment: [String: String] = StatuspageHarness.environment(),
        logs: CapturedLogs? = nil, _ body: @Sendable (TestHost, FakeStatuspage) async throws -> T
    ) async throws -> T {
        let level: Logger.Level = logs != nil || ProcessInfo.processInfo.environment["STATUSPAGE_TEST_LOG"] != nil ? .trace : .warning
        var handler: (@Sendable (String) -> any LogHandler)?
        if let logs { handler = { _ in logs.handler() } }
        let plugins: [any Plugin.Type] = [CasesPlugin.self, RolesPlugin.self, StatuspagePlugin.self]
        return try await TestHost.withRunning(
            .inProcess, plugins: plugins, config: config, environment: environment, logLevel: level, fakes: [fake], logHandler: handler
        ) { host in try await body(host, fake) }
    }

    /// Opens a case as alice and escalates it as `commander`; returns the channel once the control panel is up.
    static func incident(_ host: TestHost, _ title: String = "Checkout errors", commander: String = "alice") async throws -> String {
        let before = Set(host.simulator.conversations.map(\.id))
        try await host.slash("open \(title)", as: "alice", in: "general")
        let channel = try #require(host.simulator.conversations.first { !before.contains($0.id) && $0.name.hasPrefix("case-") }).id
        try await host.slash("incident", as: commander, in: channel)
        try await host.settleJobs()
        try await host.waitUntil("the control panel") { panel(host, channel) != nil }
        return channel
    }

    static func panel(_ host: TestHost, _ channel: String) -> StoredMessage? {
        host.simulator.messages(in: channel).first { $0.text.hasPrefix("Incident control panel") }
    }

    /// Opens the draft modal with `/case statuspage` and waits until the components are in (or not).
    @discardableResult
    static func openModal(_ host: TestHost, _ channel: String, as user: String = "alice") async throws -> StoredView {
        let command = try host.app.configuration.host.slashCommand
        try await host.deliver(try host.simulator.slashCommand(user: user, channel: channel, command: command, text: "statuspage"))
        return try await filledModal(host, user)
    }

    static func filledModal(_ host: TestHost, _ user: String) async throws -> StoredView {
        try await host.waitUntil("the filled draft modal") {
            guard let view = host.simulator.topView(for: user), view.callbackID == DraftModal.callbackID.wire else { return false }
            return !StatuspageHarness.viewText(view).contains("Listing the page's components")
        }
        return try #require(host.simulator.topView(for: user))
    }

    /// Writes and submits a draft; returns its message in the channel.
    @discardableResult
    static func draft(
        _ host: TestHost, _ channel: String, as user: String = "alice", name: String? = nil, status: String = "investigating",
        body: String = "Some card payments fail; we are on it.", components: [String: String] = [:]
    ) async throws -> StoredMessage {
        try await openModal(host, channel, as: user)
        try await submit(host, as: user, name: name, status: status, body: body, components: components)
        return try await latestDraft(host, channel)
    }

    static func submit(
        _ host: TestHost, as user: String, name: String? = nil, status: String, body: String, components: [String: String] = [:]
    ) async throws {
        var values: [String: [String: String]] = [
            DraftModal.statusBlock: [DraftModal.statusBlock: status], DraftModal.bodyBlock: [DraftModal.bodyBlock: body],
        ]
        if let name { values[DraftModal.nameBlock] = [DraftModal.nameBlock: name] }
        for (id, status) in components { values[DraftModal.componentPrefix + id] = ["status": status] }
        try await host.submitTopView(as: user, values: values)
        try await host.settleJobs()
    }

    /// Draft messages in the channel, oldest first.
    static func drafts(_ host: TestHost, _ channel: String) -> [StoredMessage] {
        host.simulator.messages(in: channel).filter { message in message.blocks.contains { $0["block_id"]?.string == "draft_header" } }
    }

    static func latestDraft(_ host: TestHost, _ channel: String) async throws -> StoredMessage {
        try await host.waitUntil("a draft message") { !drafts(host, channel).isEmpty }
        return try #require(drafts(host, channel).last)
    }

    static func viewText(_ view: StoredView) -> String {
        SlackReply(text: "", blocks: view.blocks).allText
    }

    static func text(_ message: StoredMessage) -> String {
        SlackReply(text: message.text, blocks: message.blocks).allText
    }

    /// The message as it is now (drafts are updated in place).
    static func current(_ host: TestHost, _ message: StoredMessage) throws -> StoredMessage {
        try #require(host.simulator.message(in: message.channel, ts: message.ts))
    }

    /// The `value` of a button in a message.
    static func buttonValue(_ message: StoredMessage, _ actionID: String) -> String? {
        func find(_ value: JSONValue) -> String? {
            if value["action_id"]?.string == actionID { return value["value"]?.string }
            for child in value.array ?? value.object.map({ Array($0.values) }) ?? [] { if let found = find(child) { return found } }
            return nil
        }
        return find(.array(message.blocks))
    }

    static func actionIDs(_ message: StoredMessage) -> [String] {
        func collect(_ value: JSONValue) -> [String] {
            var ids = value["type"]?.string == "button" ? [value["action_id"]?.string].compactMap { $0 } : []
            for child in value.array ?? value.object.map({ Array($0.values) }) ?? [] { ids += collect(child) }
            return ids
        }
        return collect(.array(message.blocks)).sorted()
    }

    /// Clicks a button of a draft message and lets the queued work run.
    @discardableResult
    static func click(_ host: TestHost, _ message: StoredMessage, _ actionID: String, as user: String) async throws -> JSONValue? {
        let current = try current(host, message)
        let answer = try await host.click(actionID, as: user, channel: current.channel, messageTS: current.ts)
        try await host.settleJobs()
        return answer
    }

    /// A click on a button of the message as it is now, built but not delivered (to deliver later,
    /// twice, or after the message changed — the button a person still sees); `value` replaces the
    /// button's value, as a forged payload would.
    static func clickPayload(_ host: TestHost, _ message: StoredMessage, _ actionID: String, as user: String, value: String? = nil) throws -> JSONValue {
        let current = try current(host, message)
        let payload = try host.simulator.blockAction(user: user, in: .message(channel: current.channel, ts: current.ts), actionID: actionID)
        guard let value, var object = payload.object, var action = payload["actions"]?[0]?.object else { return payload }
        action["value"] = .string(value)
        object["actions"] = [.object(action)]
        return .object(object)
    }

    static func ephemerals(_ host: TestHost, _ user: String, _ channel: String) -> [String] {
        host.simulator.ephemeralMessages(for: user, in: channel).map { SlackReply(text: $0.text, blocks: $0.blocks).allText }
    }

    /// Incident writes (create and updates) the fake received.
    static func writes(_ fake: FakeStatuspage) -> [String] {
        fake.service.received.filter { $0.method != "GET" }.map(\.line)
    }

    static func caseID(_ host: TestHost, channel: String) async throws -> String {
        let opened = try await host.app.database.auditEntries().first { $0.action == "case.opened" && $0.details["channel"]?.string == channel }
        return try #require(opened?.subject)
    }

    static func statuspageAudit(_ host: TestHost) async throws -> [String] {
        try await host.app.database.auditEntries().filter { $0.plugin == StatuspagePlugin.id }.map(\.action)
    }
}
