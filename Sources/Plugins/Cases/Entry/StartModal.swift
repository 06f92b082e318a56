import CasebookKit

/// The "Start a case" modal of the global shortcut: the description, whether it is an incident
/// already and, when another plugin offers severities (the roles plugin), the severity.
enum StartModal {
    static let callbackID = CallbackKey<CasesPlugin>("start")
    static let descriptionBlock = "description"
    static let kindBlock = "kind"
    static let severityBlock = "severity"
    /// The "Private case" box, shown only with `allow_private: true`.
    static let privacyBlock = "privacy"
    static let privateOption = "private"
    static let investigation = "investigation"
    static let incident = "incident"

    static func make(severities: [SeverityChoice], allowPrivate: Bool = false) -> View {
        let kinds = [
            Option("No — investigate first", value: investigation),
            Option("Yes — it's an incident already", value: incident, description: "You become the incident commander"),
        ]
        return View(title: "Start a case", callbackID: callbackID.wire, submit: "Start") {
            Block.input(
                "What is happening?",
                element: .textInput(actionID: descriptionBlock, placeholder: "e.g. API response times increasing", maxLength: CasesPlugin.maximumTitleLength),
                blockID: descriptionBlock)
            Block.input(
                "It's an incident already",
                element: .staticSelect(actionID: kindBlock, placeholder: "Investigation or incident", options: kinds, initial: kinds[0]),
                blockID: kindBlock)
            if !severities.isEmpty {
                let options = severities.map { Option($0.name, value: $0.id) }
                Block.input(
                    "Severity (for an incident)",
                    element: .staticSelect(
                        actionID: severityBlock, placeholder: "Severity", options: options,
                        initial: options.first { option in severities.contains { $0.id == option.value && $0.isDefault } }),
                    blockID: severityBlock, optional: true)
            }
            if allowPrivate {
                Block.input(
                    "Visibility",
                    element: .checkboxes(
                        actionID: privacyBlock,
                        options: [Option("Private case", value: privateOption, description: "A private channel with only you in it; elsewhere it is “a private case”")]),
                    blockID: privacyBlock, optional: true)
            }
        }
    }
}

extension StartModal {
    /// What the modal shows while the case is being opened.
    static func opening(_ title: String) -> View {
        View(title: "Case started", callbackID: callbackID.appending("opening").wire, close: "Close") {
            Block.section("⏳ Opening *\(SlackText.escaped(title))*…")
        }
    }

    /// What the modal shows when the case could not be opened.
    static func failed(_ reason: String) -> View {
        View(title: "Case not started", callbackID: callbackID.appending("failed").wire, close: "Close") {
            Block.section(SlackText.truncated("⚠️ " + reason, to: 3_000))
        }
    }

    /// What the modal shows once the case is open: where it is, and what did not work.
    static func started(_ item: Case, problems: [String], _ context: PluginContext) -> View {
        let what = item.status == .escalated
            ? "🚨 Opened the incident \(SlackText.channel(item.channelID)); you are its commander."
            : "🔍 Opened \(SlackText.channel(item.channelID)). `\(context.usage("incident"))` there escalates it."
        let text = ([what + " *\(SlackText.escaped(item.title))*"] + problems.map { "⚠️ " + $0 }).joined(separator: "\n")
        return View(title: "Case started", callbackID: callbackID.appending("done").wire, close: "Done") {
            Block.section(SlackText.truncated(text, to: 3_000))
        }
    }
}
