// The README's example plugin, compiled and tested with the suite (ExamplePluginTests.swift).
import CasebookKit

/// `/case handover` asks in a modal what the next shift must know, posts the note with a
/// "Take over" button, and keeps who wrote it and who took over on the audit timeline.
struct Handover: Plugin {
    /// Keys are the snake_case property names; a key left out keeps its initial value.
    struct Configuration: PluginConfiguration {
        var minimumLength = 10
        static let defaults = Configuration()
    }

    static let id = "handover"
    static let summary = "Shift handover notes that the next on-call takes over"
    static let requirements = Requirements(scopes: ["chat:write"])
    static let form = CallbackKey<Handover>("form")  // `handover.form` on the wire
    static let takeOver = ActionKey<Handover>("take_over")

    let configuration: Configuration
    init(configuration: Configuration, context: PluginContext) { self.configuration = configuration }

    func register(_ routes: inout Routes<Self>) {
        routes.command("handover", help: "Write a handover note for the next shift.", use: Handover.ask)
        routes.viewSubmission(Self.form, use: Handover.post)
        routes.blockAction(Self.takeOver, use: Handover.take)
    }

    func ask(_ command: SlashCommand, _ context: InvocationContext) async throws -> Reply {
        .openModal(View(title: "Handover", callbackID: Self.form.wire, submit: "Post", privateMetadata: command.channelID) {
            Block.input("What must the next shift know?", element: .textInput(actionID: "note", multiline: true), blockID: "note")
        })
    }

    func post(_ form: ViewSubmission, _ context: InvocationContext) async throws -> Reply {
        let note = form.value("note")?.value ?? ""
        guard note.count >= configuration.minimumLength else {
            return .viewErrors(["note": "Say a little more: at least \(configuration.minimumLength) characters."])
        }
        let posted = try await context.slack.postMessage(channel: form.privateMetadata, Message("Handover from <@\(form.userID)>: \(note)") {
            Block.section("*Handover* from <@\(form.userID)>\n\(note)")
            Block.actions([.button("Take over", actionID: Self.takeOver.wire, value: form.userID, style: .primary)])
        })
        try await context.audit.record(actor: form.userID, action: "handover.written", subject: posted.ts, details: [:])
        return .ack
    }

    func take(_ click: BlockAction, _ context: InvocationContext) async throws -> Reply {
        let taker = try await context.actingUser()  // the user the host already resolved: no second look-up
        try await context.audit.record(actor: click.userID, action: "handover.taken", subject: click.messageTS ?? "", details: [:])
        return .inChannel("\(taker.realName) took over from <@\(click.value ?? "")>.")
    }
}
