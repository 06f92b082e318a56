import CasebookKit

/// The modal of the Collect Evidence shortcut: pick the active case the message belongs to.
enum EvidenceModal {
    static let callbackID = CallbackKey<CasesPlugin>("collect_evidence")
    static let caseBlock = "case"
    static let caseAction = "case_id"
    static let optionLimit = 100

    /// Where the message is, carried through the modal in `private_metadata`.
    struct Source: Codable, Sendable, Equatable {
        var channel: String
        var ts: String
    }

    static func make(cases: [Case], preselected: Case?, source: Source) -> View {
        let options = cases.prefix(optionLimit).map(option)
        let initial = preselected.map(option)
        let metadata = (try? JSONValue.from(source).encoded()) ?? ""
        return View(title: "Collect Evidence", callbackID: callbackID.wire, submit: "Add evidence", privateMetadata: metadata) {
            Block.section("Link this message to a case. Only a link is kept — never the message text.", blockID: "explain")
            Block.input(
                "Case", element: .staticSelect(actionID: caseAction, placeholder: "Choose an active case", options: Array(options), initial: initial),
                blockID: caseBlock)
        }
    }

    static func option(_ item: Case) -> Option {
        Option(SlackText.truncated("#\(item.name) — \(item.title)", to: 75), value: item.id)
    }
}
