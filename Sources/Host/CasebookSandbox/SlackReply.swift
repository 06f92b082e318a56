import CasebookKit
import SlackSimulator

/// A message a user saw in reply to a command or a click: what it says, and where it is in Slack
/// (`channel`, `ts`), so a test can act on it: `try await reply?.click("Escalate")`.
public struct SlackReply: Sendable, Equatable {
    public var text: String
    public var blocks: [JSONValue]
    public var responseType: String
    /// The message's timestamp in the simulator (nil for an answer that is not a message in a
    /// channel, e.g. one shown in a modal).
    public var ts: String?
    /// The channel it was shown in.
    public var channel: String?
    /// Who saw it (and clicks it unless told otherwise).
    public var viewer: String?
    /// The host it came from, to act on it.
    var host: SandboxHost?

    public init(text: String, blocks: [JSONValue] = [], responseType: String = "ephemeral") {
        self.text = text
        self.blocks = blocks
        self.responseType = responseType
    }

    /// What a user sees; the host it came from is not part of it.
    public static func == (lhs: SlackReply, rhs: SlackReply) -> Bool {
        lhs.text == rhs.text && lhs.blocks == rhs.blocks && lhs.responseType == rhs.responseType && lhs.ts == rhs.ts
            && lhs.channel == rhs.channel && lhs.viewer == rhs.viewer
    }

    /// Every text in the reply, blocks included, for assertions.
    public var allText: String {
        ([text] + blocks.flatMap(Self.texts)).joined(separator: "\n")
    }

    static func texts(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let items): return items.flatMap(texts)
        case .object(let object): return object.keys.sorted().flatMap { texts(object[$0] ?? .null) }
        default: return []
        }
    }

    // MARK: Acting on it

    /// Clicks the button (or other element) labelled `label` (its text, else its action id) on
    /// this message, as `user` (default: whoever saw it). Returns the message the click's
    /// `response_url` post showed, if any. In-process, every effect of the click has happened on
    /// return; live, effects after the ack may still be under way.
    @discardableResult
    public func click(_ label: String, as user: String? = nil) async throws -> SlackReply? {
        let (host, container, actor) = try target(user)
        let element = try host.simulator.element(label, in: container, user: actor)
        return try await host.act(on: self, element: element, as: actor, value: element.value)
    }

    /// Picks `choice` in the select labelled `label` (placeholder or action id) on this message:
    /// an option's text or value, or a user (name or id) in a users select.
    @discardableResult
    public func select(_ choice: String, in label: String, as user: String? = nil) async throws -> SlackReply? {
        let (host, container, actor) = try target(user)
        let element = try host.simulator.element(label, in: container, user: actor)
        if element.type.hasSuffix("users_select") {
            return try await host.act(on: self, element: element, as: actor, selectedUser: host.userID(choice))
        }
        guard let option = element.option(choice) else {
            throw SimulatorError("\"\(label)\" has no option \"\(choice)\"; options: \(element.options.map(\.text).joined(separator: ", "))")
        }
        return try await host.act(on: self, element: element, as: actor, selectedOption: option)
    }

    private func target(_ user: String?) throws -> (SandboxHost, ActionContainer, String) {
        guard let host, let channel, let ts else { throw SimulatorError("this reply is not a message in a channel; nothing to click") }
        guard let actor = user ?? viewer else { throw SimulatorError("say who clicks: as: \"alice\"") }
        return (host, .message(channel: channel, ts: ts), actor)
    }
}

extension SandboxHost {
    /// The reply `body` (an ack's or a `response_url` post's), located among the messages the
    /// user of `payload` sees in its channel: the newest one with its text.
    func seen(_ body: JSONValue, by payload: JSONValue, replacing original: String? = nil) -> SlackReply {
        var reply = SlackReply(
            text: body["text"]?.string ?? "", blocks: body["blocks"]?.array ?? [], responseType: body["response_type"]?.string ?? "ephemeral")
        let user = payload["user_id"]?.string ?? payload["user"]?["id"]?.string
        let channel = payload["channel_id"]?.string ?? payload["channel"]?["id"]?.string
        reply.host = self
        reply.viewer = user
        reply.channel = channel
        guard let channel else { return reply }
        if body["replace_original"]?.bool == true, let original {
            reply.ts = original
        } else if reply.responseType == "in_channel" {
            reply.ts = simulator.messages(in: channel).last { $0.text == reply.text }?.ts
        } else if let user {
            reply.ts = simulator.ephemeralMessages(for: user, in: channel).last { $0.text == reply.text }?.ts
        }
        return reply
    }

    /// Delivers a block action on `reply`'s message and returns what its `response_url` showed.
    func act(
        on reply: SlackReply, element: LabelledElement, as user: String, value: String? = nil, selectedOption: String? = nil,
        selectedUser: String? = nil
    ) async throws -> SlackReply? {
        guard let channel = reply.channel, let ts = reply.ts else { return nil }
        let payload = try simulator.blockAction(
            user: user, in: .message(channel: channel, ts: ts), actionID: element.actionID, blockID: element.blockID, value: value,
            selectedOption: selectedOption, selectedUser: selectedUser)
        try await deliver(payload)
        guard let url = payload["response_url"]?.string, let body = simulator.replies(to: url).last else { return nil }
        return seen(body, by: payload, replacing: ts)
    }
}

extension SandboxHost {
    /// A message in a channel as `viewer` sees it, to act on it like a reply:
    /// `try await host.shown(panel, to: "bob").select("sev2", in: "Change severity")`.
    public func shown(_ message: StoredMessage, to viewer: String) -> SlackReply {
        var reply = SlackReply(text: message.text, blocks: message.blocks, responseType: "in_channel")
        reply.ts = message.ts
        reply.channel = message.channel
        reply.viewer = userID(viewer)
        reply.host = self
        return reply
    }
}
