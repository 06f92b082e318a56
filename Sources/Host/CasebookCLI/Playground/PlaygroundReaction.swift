import CasebookSandbox
import Foundation

/// `:react <emoji> <M>`: the current user adds a reaction to message M of the current channel (as
/// numbered by `:show`). Slack sends `reaction_added` only when the app subscribes to it and its bot
/// is in the channel; the console says which, then shows what the reactor was told.
enum PlaygroundReaction {
    static let usage = "! usage: :react <emoji> <message number>, e.g. :react rotating_light 1"

    static func react(_ arguments: [String], as user: String, in channel: String, on host: SandboxHost) async throws -> [String] {
        guard arguments.count == 2, let number = Int(arguments[1]) else { return [usage] }
        let emoji = arguments[0].trimmingCharacters(in: CharacterSet(charactersIn: ":"))
        let messages = host.simulator.messages(in: channel)
        guard messages.indices.contains(number - 1) else { return ["! no message \(number) in #\(channel); :show numbers them"] }
        let answered = host.simulator.ephemeralMessages(for: user, in: channel).count
        guard try await host.react(emoji, as: user, channel: channel, messageTS: messages[number - 1].ts) != nil else {
            let subscribed = host.simulator.subscribedEvents?.contains("reaction_added") ?? true
            return [
                "(reacted :\(emoji):) Slack sends Casebook nothing: "
                    + (subscribed
                        ? "its bot is not in #\(channel)."
                        : "it does not subscribe to reaction_added (set react_to_open in the cases config, or REACT_TO_OPEN_EMOJI).")
            ]
        }
        // The reaction is handled by a job: wait for it, then show the private answer.
        try? await host.settleJobs(timeout: .seconds(10))
        let answers = host.simulator.ephemeralMessages(for: user, in: channel).dropFirst(answered)
        return ["(reacted :\(emoji):)"] + answers.map { "(only you see this) \(host.simulator.plainText($0.text))" }
    }
}
