import CasebookKit

/// The "Start a case" global shortcut (⚡ menu, callback `cases.start`): a modal that opens a case
/// exactly as `/case open` does and, when asked, escalates it at once with the submitter as
/// commander and the chosen severity. Problems with the input appear on the modal's fields.
extension CasesPlugin {
    /// Severities another plugin offers in the Start modal (the roles plugin's levels).
    public static let severityChoices = ExtensionPoint<Void, [SeverityChoice]>("cases.severity_choices")
    /// Sets an incident's severity for a user; answers what did not work, in words.
    public static let setSeverity = ExtensionPoint<SeverityRequest, [String]>("cases.set_severity")

    func registerStart(_ routes: inout Routes<CasesPlugin>) {
        routes.globalShortcut(
            StartModal.callbackID, name: "Start a case", description: "Open an investigation or an incident with its own channel"
        ) { plugin, shortcut, context in
            try await plugin.startShortcut(shortcut, context)
        }
        routes.viewSubmission(StartModal.callbackID) { plugin, submission, context in try await plugin.submitStart(submission, context) }
    }

    func startShortcut(_ shortcut: Shortcut, _ context: PluginContext) async throws -> Reply {
        try checkWorkspace(shortcut.teamID)
        let severities = await context.extensions.collect(Self.severityChoices, (), logger: context.logger).flatMap { $0 }
        return .openModal(StartModal.make(severities: severities))
    }

    func submitStart(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply {
        let user = submission.userID
        let description = submission.value(StartModal.descriptionBlock)?.value ?? ""
        let opened: OpenedCase
        do {
            try checkWorkspace(submission.teamID)
            guard !description.allSatisfy(\.isWhitespace) else {
                return .viewErrors([StartModal.descriptionBlock: "Describe what is happening, e.g. “API response times increasing”."])
            }
            let title = try Self.title(from: description, usage: context.usage("open", "<description>"))
            opened = try await openCase(OpenCaseRequest(title: title, opener: user, invitees: [user], source: .shortcut), context)
        } catch let error as UserFacingError {
            return .viewErrors([StartModal.descriptionBlock: error.message])
        }
        guard var item = opened.case else {
            return .viewErrors([StartModal.descriptionBlock: opened.problems.joined(separator: " ")])
        }
        var problems = opened.problems
        if submission.value(StartModal.kindBlock)?.value == StartModal.incident {
            do {
                item = try await escalate(item, by: user, source: .shortcut, context)
                if let severity = submission.value(StartModal.severityBlock)?.value {
                    let request = SeverityRequest(caseID: item.id, severity: severity, actor: user)
                    problems += await context.extensions.collect(Self.setSeverity, request, logger: context.logger).flatMap { $0 }
                }
            } catch let error as UserFacingError {
                problems.append(error.message)
            }
        }
        return .updateModal(StartModal.started(item, problems: problems, context))
    }
}

/// A severity offered in the Start modal.
public struct SeverityChoice: Sendable, Equatable {
    public var id: String
    public var name: String
    public var isDefault: Bool
    public init(id: String, name: String, isDefault: Bool) {
        self.id = id
        self.name = name
        self.isDefault = isDefault
    }
}

/// Input of ``CasesPlugin/setSeverity``.
public struct SeverityRequest: Sendable, Equatable {
    public var caseID: String
    public var severity: String
    public var actor: String
    public init(caseID: String, severity: String, actor: String) {
        self.caseID = caseID
        self.severity = severity
        self.actor = actor
    }
}
