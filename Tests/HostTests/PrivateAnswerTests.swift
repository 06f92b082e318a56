@testable import CasebookHost
import CasebookKit
import Synchronization
import Testing

/// Where a message reply goes when the invocation has no `response_url` (#18 point 10): next to
/// the clicked message, else in a modal only the actor sees — never a direct message or a channel post.
@Suite("Private answers")
struct PrivateAnswerTests {
    /// Records Web API calls; `views.push` fails when `pushFails` (a Home tab has no modal stack).
    final class RecordingSlack: SlackAPI, ResponseURLPosting {
        let calls = Mutex<[(String, [String: JSONValue])]>([])
        let pushFails: Bool
        init(pushFails: Bool = false) { self.pushFails = pushFails }

        func call(_ method: String, _ arguments: [String: JSONValue]) async throws -> JSONValue {
            calls.withLock { $0.append((method, arguments)) }
            if method == "views.push" && pushFails { throw SlackAPIError(method: method, code: "invalid_trigger_id") }
            return ["ok": true, "view": ["id": "V1"], "channel": "D1", "ts": "1.1"]
        }

        func post(_ url: String, body: JSONValue) async throws {
            calls.withLock { $0.append(("response_url", body.object ?? [:])) }
        }

        var methods: [String] { calls.withLock { $0.map(\.0) } }
        func arguments(_ method: String) -> [String: JSONValue]? { calls.withLock { $0.last { $0.0 == method }?.1 } }
    }

    static func deliver(_ text: String, to invocation: Invocation, _ slack: RecordingSlack) async {
        let delivery = ReplyDelivery(slack: slack, responder: slack, logger: Logger(label: "test"), noticeTitle: "Incident Desk")
        await delivery.deliver(.ephemeral(text), to: invocation)
    }

    @Test("A global shortcut's answer opens a modal with its trigger")
    func globalShortcut() async throws {
        let slack = RecordingSlack()
        await Self.deliver("Guests can't.", to: .shortcut(Shortcut(callbackID: "cases.start", userID: "U1", teamID: "T1", triggerID: "tr1")), slack)
        #expect(slack.methods == ["views.open"])
        #expect(slack.arguments("views.open")?["trigger_id"]?.string == "tr1")
        let view = try #require(slack.arguments("views.open")?["view"])
        #expect(view["callback_id"]?.string == "casebook.notice" && view["title"]?["text"]?.string == "Incident Desk")
        #expect(SlackTextFinder.contains(view, "Guests can't."))
    }

    @Test("A button in a modal pushes the answer on top; in the Home tab, where pushing fails, it opens one")
    func buttonsInViews() async {
        let action = BlockAction(actionID: "a", userID: "U1", teamID: "T1", triggerID: "tr2", viewID: "V9")
        let modal = RecordingSlack()
        await Self.deliver("No.", to: .blockAction(action), modal)
        #expect(modal.methods == ["views.push"])
        let home = RecordingSlack(pushFails: true)
        await Self.deliver("No.", to: .blockAction(action), home)
        #expect(home.methods == ["views.push", "views.open"])
    }

    @Test("A button in a message answers ephemerally next to it; a response_url is used when there is one")
    func buttonsInMessages() async {
        let slack = RecordingSlack()
        await Self.deliver("No.", to: .blockAction(BlockAction(actionID: "a", userID: "U1", teamID: "T1", channelID: "C1", messageTS: "1.0")), slack)
        #expect(slack.methods == ["chat.postEphemeral"])
        #expect(slack.arguments("chat.postEphemeral")?["user"]?.string == "U1")
        let withURL = RecordingSlack()
        await Self.deliver("No.", to: .blockAction(BlockAction(actionID: "a", userID: "U1", teamID: "T1", responseURL: "https://r")), withURL)
        #expect(withURL.methods == ["response_url"])
        #expect(withURL.arguments("response_url")?["response_type"]?.string == "ephemeral")
    }

    @Test("A submission's answer replaces the modal: in the ack while it can, else with views.update")
    func viewSubmissions() async throws {
        let submission = Invocation.viewSubmission(ViewSubmission(callbackID: "f", viewID: "V7", userID: "U1", teamID: "T1"))
        #expect(ReplyDelivery.ackCarries(.ephemeral("No."), submission))
        let body = try #require(ReplyDelivery.ackBody(for: .ephemeral("No."), to: submission, noticeTitle: "Casebook"))
        #expect(body["response_action"]?.string == "update")
        #expect(body["view"]?["callback_id"]?.string == "casebook.notice")
        let late = RecordingSlack()
        await Self.deliver("No.", to: submission, late)
        #expect(late.methods == ["views.update"])
        #expect(late.arguments("views.update")?["view_id"]?.string == "V7")
    }
}

/// Finds text anywhere in a JSON value.
enum SlackTextFinder {
    static func contains(_ value: JSONValue, _ text: String) -> Bool {
        switch value {
        case .string(let string): return string.contains(text)
        case .array(let items): return items.contains { contains($0, text) }
        case .object(let object): return object.values.contains { contains($0, text) }
        default: return false
        }
    }
}
