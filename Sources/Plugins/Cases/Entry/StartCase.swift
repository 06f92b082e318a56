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
        routes.group(allowedWorkspaces) { routes in
            routes.globalShortcut(
                StartModal.callbackID, name: "Start a case", description: "Open an investigation or an incident with its own channel",
                use: CasesPlugin.startShortcut)
        }
        // Refused on the description field, like the modal's other problems.
        routes.group(AllowedWorkspaces(configuration: configuration, fieldError: StartModal.descriptionBlock)) { routes in
            routes.viewSubmission(StartModal.callbackID, use: CasesPlugin.submitStart)
        }
        routes.job(Self.startJob, use: CasesPlugin.startCase)
    }

    func startShortcut(_ shortcut: Shortcut, _ context: PluginContext) async throws -> Reply {
        .openModal(try await startModal(context))
    }

    /// The Start modal, as the shortcut and the Home tab's "Start a case" button open it.
    func startModal(_ context: PluginContext) async throws -> View {
        let severities = await context.extensions.collect(Self.severityChoices, (), logger: context.logger).flatMap { $0 }
        return StartModal.make(severities: severities, allowPrivate: configuration.allowPrivate)
    }

    /// What a submitted Start modal asks for, carried by the job that does it.
    struct StartRequest: Codable, Sendable {
        var viewID: String
        var user: String
        var title: String
        var incident: Bool
        var severity: String?
        /// Optional so a job scheduled before private cases existed still decodes.
        var isPrivate: Bool?
    }

    static let startJob = JobKey<StartRequest>("start_case")

    /// Checks the input while the modal is still open (so problems land on its fields), then acks
    /// at once with an "Opening…" screen: opening the channel and escalating can take longer than
    /// Slack waits for a submission, so a durable job does it and updates the modal when done.
    func submitStart(_ submission: ViewSubmission, _ context: PluginContext) async throws -> Reply {
        let description = submission.value(StartModal.descriptionBlock)?.value ?? ""
        let title: String
        do {
            guard !description.allSatisfy(\.isWhitespace) else {
                return .viewErrors([StartModal.descriptionBlock: "Describe what is happening, e.g. “API response times increasing”."])
            }
            title = try Self.title(from: description, usage: context.usage("open", "<description>"))
        } catch let error as UserFacingError {
            return .viewErrors([StartModal.descriptionBlock: error.message])
        }
        let request = StartRequest(
            viewID: submission.viewID, user: submission.userID, title: title,
            incident: submission.value(StartModal.kindBlock)?.value == StartModal.incident,
            severity: submission.value(StartModal.severityBlock)?.value,
            isPrivate: submission.value(StartModal.privacyBlock)?.selectedOptions.contains(StartModal.privateOption) == true)
        try await context.jobs.schedule(Self.startJob, request, at: context.clock.now(), dedupeKey: "start:\(submission.viewID)")
        return .updateModal(StartModal.opening(title))
    }

    /// Opens (and escalates) the case of a Start modal. A retry finds the case it opened before
    /// through the modal's external key and escalates only what is not escalated yet.
    func startCase(_ request: StartRequest, _ context: PluginContext) async throws {
        let user = request.user
        let opened: OpenedCase
        do {
            opened = try await openCase(
                OpenCaseRequest(
                    title: request.title, opener: user, invitees: [user], externalKey: "start:\(request.viewID)", source: .shortcut,
                    isPrivate: request.isPrivate ?? false),
                context)
        } catch let error as UserFacingError {
            try await context.slack.updateView(id: request.viewID, StartModal.failed(error.message))
            return
        }
        guard var item = opened.case else {
            try await context.slack.updateView(id: request.viewID, StartModal.failed(opened.problems.joined(separator: " ")))
            return
        }
        var problems = opened.problems
        if request.incident {
            do {
                if item.status == .investigating { item = try await escalate(item, by: user, source: .shortcut, context) }
                if let severity = request.severity {
                    let change = SeverityRequest(caseID: item.id, severity: severity, actor: user)
                    problems += await context.extensions.collect(Self.setSeverity, change, logger: context.logger).flatMap { $0 }
                }
            } catch let error as UserFacingError {
                problems.append(error.message)
            }
        }
        try await context.slack.updateView(id: request.viewID, StartModal.started(item, problems: problems, context))
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
