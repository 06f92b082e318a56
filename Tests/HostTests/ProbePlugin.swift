import CasebookKit
import Synchronization

/// A small plugin that exercises every path of the dispatcher in the end-to-end tests.
struct ProbePlugin: Plugin {
    struct Configuration: Decodable, Sendable {
        var channel: String
        var slowMilliseconds: Int

        enum CodingKeys: String, CodingKey {
            case channel
            case slowMilliseconds = "slow_milliseconds"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            channel = try container.decode(String.self, forKey: .channel)
            slowMilliseconds = try container.decodeIfPresent(Int.self, forKey: .slowMilliseconds) ?? 2500
        }
    }

    static let id = "probe"
    static let requirements = Requirements(scopes: ["chat:write"], events: ["member_joined_channel"])
    /// Counts event deliveries per event id, across all probe instances of a test process.
    static let seenEvents = Mutex<[String: Int]>([:])

    let configuration: Configuration

    init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    func register(_ routes: inout Routes<Self>) {
        routes.command("echo", usage: "<text>", help: "Answers with the text.") { _, command, _ in
            .ephemeral("echo: \(command.arguments)")
        }
        routes.command("shout", usage: "<text>", help: "Posts the text in the probe channel.") { plugin, command, context in
            let ref = try await context.slack.postMessage(channel: plugin.configuration.channel, Message(command.arguments) {
                Block.section(command.arguments)
                Block.actions([.button("Ack", actionID: "probe.ack", value: command.arguments)])
            })
            return .inChannel("posted \(ref.ts)")
        }
        routes.command("slow", help: "Answers after longer than the ack budget.") { plugin, _, _ in
            try await Task.sleep(for: .milliseconds(plugin.configuration.slowMilliseconds))
            return .ephemeral("slow answer")
        }
        routes.command("sprawl", help: "Answers with more blocks than Slack allows.") { _, _, _ in
            .ephemeral(Message("too many", blocks: (0..<51).map { Block.section("line \($0)") }))
        }
        routes.command("boom", help: "Fails.") { _, _, _ in
            struct Boom: Error {}
            throw Boom()
        }
        routes.command("sneak", help: "Calls a method outside its declared scopes.") { _, _, context in
            _ = try await context.slack.createChannel(name: "sneaky")
            return .ephemeral("should not happen")
        }
        routes.command("form", help: "Opens a modal.") { _, _, _ in
            .openModal(View(title: "Probe form", callbackID: "probe.form", submit: "Send") {
                Block.input("Word", element: .textInput(actionID: "word"), blockID: "word")
            })
        }
        routes.viewSubmission("probe.form") { plugin, view, context in
            let word = view.value("word")?.value ?? ""
            guard word.count >= 3 else { return .viewErrors(["word": "At least 3 letters, please."]) }
            try await context.slack.postMessage(channel: plugin.configuration.channel, Message("form: \(word)"))
            return .ack
        }
        routes.blockAction("probe.ack") { _, action, _ in
            .replaceOriginal(Message("acked \(action.value ?? "") by <@\(action.userID)>"))
        }
        routes.event("member_joined_channel") { _, event, _ in
            Self.seenEvents.withLock { $0[event.eventID, default: 0] += 1 }
        }
    }
}
