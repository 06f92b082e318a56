import CasebookKit

/// A modal that shows an answer to its actor alone, for invocations with no channel to answer in
/// (a global shortcut, a modal's submission, a button in a modal or the Home tab): Casebook
/// answers privately, never with a direct message or a channel post.
enum NoticeView {
    static let callbackID = "casebook.notice"

    /// The message's blocks when a modal may show them, else its text; titled with the app's name.
    static func make(_ message: Message, title: String) -> View {
        let name = String(title.prefix(BlockKitLimits.viewTitle))
        let text = SlackText.truncated(message.text, to: 3_000)
        if !message.blocks.isEmpty {
            let view = View(title: name, callbackID: callbackID, close: "Close") { message.blocks }
            if (try? view.validate()) != nil { return view }
        }
        return View(title: name, callbackID: callbackID, close: "Close") { Block.section(text) }
    }
}
