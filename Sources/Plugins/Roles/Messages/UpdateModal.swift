import CasebookKit

/// The `/case update` modal: impact, affected components and free text. The case id travels in
/// `private_metadata`.
enum UpdateModal {
    static let callbackID = CallbackKey<RolesPlugin>("update")
    static let impactBlock = "impact"
    static let componentsBlock = "components"
    static let textBlock = "text"

    static func make(caseID: String, title: String) -> View {
        View(title: "Incident update", callbackID: callbackID.wire, submit: "Post update", privateMetadata: caseID) {
            Block.section("Status update for *\(SlackText.escaped(SlackText.truncated(title, to: 200)))*, posted to the channel and the incident digest.")
            Block.input(
                "Impact", element: .textInput(actionID: impactBlock, placeholder: "Who or what is affected, and how badly", maxLength: 500),
                blockID: impactBlock)
            Block.input(
                "Affected components", element: .textInput(actionID: componentsBlock, placeholder: "e.g. API, checkout", maxLength: 300),
                blockID: componentsBlock, optional: true)
            Block.input(
                "Update", element: .textInput(actionID: textBlock, multiline: true, placeholder: "What we know, what we are doing, when the next update comes", maxLength: 2_500),
                blockID: textBlock)
        }
    }

    /// The update as posted in the case channel and threaded under the digest message.
    static func message(_ update: PostedUpdate, severity: String, status: IncidentStatus) -> Message {
        var lines = ["📣 *Update* from \(SlackText.user(update.author)) · \(severity) · \(status.emoji) \(status.label)", "*Impact:* \(SlackText.escaped(update.impact))"]
        if let components = update.components { lines.append("*Affected components:* \(SlackText.escaped(components))") }
        lines.append(SlackText.escaped(update.text))
        let text = lines.joined(separator: "\n")
        return Message(SlackText.truncated(text, to: 3_000)) {
            Block.section(SlackText.truncated(text, to: 3_000), blockID: "update")
        }
    }
}
