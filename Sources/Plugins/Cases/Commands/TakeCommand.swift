import CasebookKit

/// "Take command" on an incident that nobody commands yet (an alert escalated it): the first
/// member to press it becomes the commander, checked as `/case transfer` checks a new commander.
extension CasesPlugin {
    func takeCommandButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await caseForButton(action, context)
        if let commander = item.commander {
            throw Self.commandHeldError(commander, context)
        }
        let taken = try await transfer(item, to: action.userID, by: action.userID, context)
        return .ephemeral("🎖️ You are the incident commander of \(SlackText.channel(taken.channelID)).")
    }

    /// The channel's escalation message when an alert escalated the case.
    static func commandOpenMessage(_ item: Case) -> Message {
        let text = "🚨 This alert is an incident. Nobody commands it yet: the first responder takes command."
        return Message(text) {
            Block.section(.markdown(text), fields: [], accessory: nil, blockID: "command_open")
            Block.actions([Element.button("Take command", actionID: ActionID.takeCommand.wire, value: item.id, style: .primary)], blockID: "take_command")
        }
    }
}
