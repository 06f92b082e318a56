import CasebookKit

// How other plugins build on cases.
//
// Storage is per plugin, so another plugin cannot query `cases_*` tables itself. Instead the Cases
// plugin declares extension points and answers them with its own storage and Slack scopes; a
// dependent plugin (declare `dependencies: ["cases"]`) asks through `context.extensions`, most
// simply via ``CaseDirectory``:
//
//     let cases = CaseDirectory(context: context)
//     if let item = await cases.case(inChannel: command.channelID) { … }
//     let outcome = await cases.resolve(caseID: item.id, by: user)
//     let opened = await cases.open(OpenCaseRequest(title: "Disk full on db-1", opener: botUserID, externalKey: "alerts:…"))
//
// Changes made this way run exactly as the slash commands do (same checks, audit entries, events
// and messages). To add lines to `/case status`, contribute to ``CasesPlugin/statusLines``:
//
//     routes.contribute(to: CasesPlugin.statusLines) { plugin, item, context in ["Severity: SEV2"] }
//
// To react to the lifecycle, subscribe to the events in Events.swift (`routes.subscribe(CaseEscalated.self)`).
//
// A case may be private (`case.isPrivate`): wherever anyone may read what you post (a digest or
// announcement channel, a modal listing cases), show `case.publicTitle` and `case.publicChannel`,
// or the title only to members of its channel (`membershipProblem(caseID:user:) == nil`).

extension CasesPlugin {
    /// Lines other plugins add to `/case status` for a case (PagerDuty state, severity, roles…).
    public static let statusLines = ExtensionPoint<Case, [String]>("cases.status_lines")
    /// The case whose channel this is: answers `[]` or `[case]`.
    public static let caseByChannel = ExtensionPoint<String, [Case]>("cases.case_by_channel")
    /// The case with this id: answers `[]` or `[case]`.
    public static let caseByID = ExtensionPoint<String, [Case]>("cases.case_by_id")
    /// Cases that are not closed, newest first, at most `limit`.
    public static let activeCases = ExtensionPoint<ActiveCasesQuery, [Case]>("cases.active_cases")
    /// Escalates an investigation to an incident for a user (who becomes commander, unless the
    /// request leaves command open).
    public static let escalateCase = ExtensionPoint<CaseRequest, CaseOutcome>("cases.escalate")
    /// Opens a case as `/case open` does (channel, notification, summary, audit, events), for a
    /// user or the bot, with the requester's own first messages and invitations in the same round trip.
    public static let openCase = ExtensionPoint<OpenCaseRequest, OpenedCase>("cases.open")
    /// Closes an investigation that was never escalated (an incident is resolved, not closed, this way).
    public static let closeCase = ExtensionPoint<CaseRequest, CaseOutcome>("cases.close")
    /// Resolves an incident for a user.
    public static let resolveCase = ExtensionPoint<CaseRequest, CaseOutcome>("cases.resolve")
    /// Hands incident command to `target` (a workspace member, checked as `/case transfer` does).
    public static let transferCommand = ExtensionPoint<CaseRequest, CaseOutcome>("cases.transfer")
    /// Why the request's actor may not act in the case's channel (not a member of it): `[]` when
    /// they may, `[reason]` otherwise — also when membership could not be checked.
    public static let channelMembership = ExtensionPoint<CaseRequest, [String]>("cases.channel_membership")

    func registerDirectory(_ routes: inout Routes<CasesPlugin>) {
        routes.contribute(to: Self.caseByChannel, use: CasesPlugin.directoryCase(inChannel:_:))
        routes.contribute(to: Self.caseByID, use: CasesPlugin.directoryCase(withID:_:))
        routes.contribute(to: Self.activeCases, use: CasesPlugin.directoryActiveCases)
        routes.contribute(to: Self.escalateCase, use: CasesPlugin.directoryEscalate)
        routes.contribute(to: Self.openCase, use: CasesPlugin.directoryOpen)
        routes.contribute(to: Self.closeCase, use: CasesPlugin.directoryClose)
        routes.contribute(to: Self.resolveCase, use: CasesPlugin.directoryResolve)
        routes.contribute(to: Self.transferCommand, use: CasesPlugin.directoryTransfer)
        routes.contribute(to: Self.channelMembership, use: CasesPlugin.directoryMembership)
    }

    func directoryCase(inChannel channel: String, _ context: PluginContext) async throws -> [Case] {
        try await context.storage.read { db in try await CaseStore.find(channel: channel, on: db) }.map { [$0] } ?? []
    }

    func directoryCase(withID id: String, _ context: PluginContext) async throws -> [Case] {
        try await context.storage.read { db in try await CaseStore.find(id: id, on: db) }.map { [$0] } ?? []
    }

    func directoryActiveCases(_ query: ActiveCasesQuery, _ context: PluginContext) async throws -> [Case] {
        try await context.storage.read { db in try await CaseStore.active(limit: max(1, min(query.limit, 1_000)), on: db) }
    }

    func directoryEscalate(_ request: CaseRequest, _ context: PluginContext) async -> CaseOutcome {
        await act(on: request, context) { item in
            try await escalate(item, by: request.actor, leavingCommandOpen: request.leaveCommandOpen, source: request.source, context)
        }
    }

    func directoryOpen(_ request: OpenCaseRequest, _ context: PluginContext) async -> OpenedCase {
        do {
            let title = try Self.title(from: request.title, usage: context.usage("open", "<description>"))
            var trimmed = request
            trimmed.title = title
            return try await openCase(trimmed, context)
        } catch let error as UserFacingError {
            return OpenedCase(case: nil, problems: [error.message])
        } catch {
            context.logger.error("case opening for another plugin failed", metadata: ["error": "\(error)"])
            return OpenedCase(case: nil, problems: ["The case could not be opened (\(error))."])
        }
    }

    func directoryClose(_ request: CaseRequest, _ context: PluginContext) async -> CaseOutcome {
        await act(on: request, context) { item in
            guard item.status == .investigating else {
                throw UserFacingError("Only an investigation that was never escalated closes this way; this one is \(item.status.label.lowercased()).")
            }
            _ = try await close(item, by: request.actor, confirmed: false, source: request.source, context)
            let caseID = item.id
            return try await context.storage.read { db in try await CaseStore.find(id: caseID, on: db) } ?? item
        }
    }

    func directoryResolve(_ request: CaseRequest, _ context: PluginContext) async -> CaseOutcome {
        await act(on: request, context) { item in try await resolve(item, by: request.actor, source: request.source, context) }
    }

    func directoryTransfer(_ request: CaseRequest, _ context: PluginContext) async -> CaseOutcome {
        await act(on: request, context) { item in
            guard let target = request.target else { throw UserFacingError("Name the new commander.") }
            return try await transfer(item, to: target, by: request.actor, context)
        }
    }

    func directoryMembership(_ request: CaseRequest, _ context: PluginContext) async -> [String] {
        let caseID = request.caseID
        do {
            guard let item = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }) else {
                return ["There is no case \(caseID)."]
            }
            return try await membershipProblem(request.actor, item, context).map { [$0] } ?? []
        } catch {
            context.logger.warning("channel membership not checked", metadata: ["case": "\(caseID)", "error": "\(error)"])
            return ["I could not check that you are in this case's channel; try again in a moment."]
        }
    }

    /// Runs a lifecycle change for another plugin, turning every failure into an outcome it can
    /// show (contributions that throw are only logged by the host).
    func act(on request: CaseRequest, _ context: PluginContext, _ change: (Case) async throws -> Case) async -> CaseOutcome {
        do {
            let caseID = request.caseID
            guard let item = try await context.storage.read({ db in try await CaseStore.find(id: caseID, on: db) }) else {
                return CaseOutcome(case: nil, error: "There is no case \(caseID).")
            }
            return CaseOutcome(case: try await change(item), error: nil)
        } catch let error as UserFacingError {
            return CaseOutcome(case: nil, error: error.message)
        } catch {
            context.logger.error("case change for another plugin failed", metadata: ["case": "\(request.caseID)", "error": "\(error)"])
            return CaseOutcome(case: nil, error: "The case could not be changed (\(error)).")
        }
    }
}

/// Input of ``CasesPlugin/activeCases``.
public struct ActiveCasesQuery: Sendable, Equatable {
    public var limit: Int
    public init(limit: Int = 100) { self.limit = limit }
}

/// A lifecycle change asked for by another plugin on behalf of `actor` (a Slack user id).
public struct CaseRequest: Sendable, Equatable {
    public var caseID: String
    public var actor: String
    /// The new commander, for ``CasesPlugin/transferCommand``.
    public var target: String?
    /// For ``CasesPlugin/escalateCase``: nobody commands yet; the channel offers "Take command".
    public var leaveCommandOpen: Bool
    /// What made the requester ask: the `source` label of `casebook_cases_*_total`.
    public var source: TriggerSource
    public init(caseID: String, actor: String, target: String? = nil, leaveCommandOpen: Bool = false, source: TriggerSource = .command) {
        self.source = source
        self.caseID = caseID
        self.actor = actor
        self.target = target
        self.leaveCommandOpen = leaveCommandOpen
    }
}

/// Input of ``CasesPlugin/openCase``: a case opened by `opener` (a user id, or the bot's).
public struct OpenCaseRequest: Sendable, Equatable {
    /// One line; longer than `/case open` allows is refused.
    public var title: String
    public var opener: String
    /// Invited to the channel (the bot is left out).
    public var invitees: [String]
    /// User group ids whose members are invited too, looked up while the channel is created.
    public var inviteGroups: [String]
    /// Links outside Slack kept as the case's evidence (dashboards, alert pages).
    public var evidenceLinks: [String]
    /// Posted in the new channel together with the summary.
    public var channelMessages: [Message]
    /// Channels that get the case's notification besides `notifications_channel`.
    public var announceIn: [String]
    /// The requester's name for what the case is about (an alert group): while a case opened
    /// under it is not closed, opening again answers that case and changes nothing, so a retry
    /// after a crash never opens a second one.
    public var externalKey: String?
    /// What opened it (`/case open`, an alert, a shortcut): the `source` label of `casebook_cases_opened_total`.
    public var source: TriggerSource
    /// A private channel, only with `allow_private: true` (refused otherwise); see ``Case/publicTitle``.
    public var isPrivate: Bool

    public init(
        title: String, opener: String, invitees: [String] = [], inviteGroups: [String] = [], evidenceLinks: [String] = [],
        channelMessages: [Message] = [], announceIn: [String] = [], externalKey: String? = nil, source: TriggerSource = .command,
        isPrivate: Bool = false
    ) {
        self.isPrivate = isPrivate
        self.source = source
        self.externalKey = externalKey
        self.title = title
        self.opener = opener
        self.invitees = invitees
        self.inviteGroups = inviteGroups
        self.evidenceLinks = evidenceLinks
        self.channelMessages = channelMessages
        self.announceIn = announceIn
    }
}

/// The result of ``CasesPlugin/openCase``: the case (nil when none was opened), what did not work,
/// and where each of the request's `channelMessages` was posted (nil where it was not, and all nil
/// when the external key's case already existed).
public struct OpenedCase: Sendable, Equatable {
    public var `case`: Case?
    public var problems: [String]
    public var channelMessages: [MessageRef?]
    public init(case: Case?, problems: [String], channelMessages: [MessageRef?] = []) {
        self.case = `case`
        self.problems = problems
        self.channelMessages = channelMessages
    }
}

/// The result of a ``CaseRequest``: the case after the change, or why it did not happen, in words
/// for the user.
public struct CaseOutcome: Sendable, Equatable {
    public var `case`: Case?
    public var error: String?
    public var succeeded: Bool { error == nil && `case` != nil }
    public init(case: Case?, error: String?) {
        self.case = `case`
        self.error = error
    }
}

/// The read and act API of the Cases plugin for other plugins, over their own context's extension
/// points. Every call answers "nothing" (nil, [], a failed outcome) when the Cases plugin is not enabled.
public struct CaseDirectory: Sendable {
    let extensions: ExtensionPoints
    let logger: Logger

    public init(extensions: ExtensionPoints, logger: Logger) {
        self.extensions = extensions
        self.logger = logger
    }

    public init(context: PluginContext) {
        self.init(extensions: context.extensions, logger: context.logger)
    }

    public func `case`(inChannel channel: String) async -> Case? {
        await extensions.collect(CasesPlugin.caseByChannel, channel, logger: logger).flatMap { $0 }.first
    }

    public func `case`(id: String) async -> Case? {
        await extensions.collect(CasesPlugin.caseByID, id, logger: logger).flatMap { $0 }.first
    }

    public func activeCases(limit: Int = 100) async -> [Case] {
        await extensions.collect(CasesPlugin.activeCases, ActiveCasesQuery(limit: limit), logger: logger).flatMap { $0 }
    }

    public func escalate(
        caseID: String, by actor: String, leavingCommandOpen: Bool = false, source: TriggerSource = .command
    ) async -> CaseOutcome {
        await ask(CasesPlugin.escalateCase, CaseRequest(caseID: caseID, actor: actor, leaveCommandOpen: leavingCommandOpen, source: source))
    }

    public func open(_ request: OpenCaseRequest) async -> OpenedCase {
        await extensions.collect(CasesPlugin.openCase, request, logger: logger).first
            ?? OpenedCase(case: nil, problems: ["The Cases plugin is not enabled."])
    }

    public func close(caseID: String, by actor: String, source: TriggerSource = .command) async -> CaseOutcome {
        await ask(CasesPlugin.closeCase, CaseRequest(caseID: caseID, actor: actor, source: source))
    }

    public func resolve(caseID: String, by actor: String, source: TriggerSource = .command) async -> CaseOutcome {
        await ask(CasesPlugin.resolveCase, CaseRequest(caseID: caseID, actor: actor, source: source))
    }

    public func transferCommand(caseID: String, to target: String, by actor: String) async -> CaseOutcome {
        await ask(CasesPlugin.transferCommand, CaseRequest(caseID: caseID, actor: actor, target: target))
    }

    /// Why `user` may not act on the case (they are not in its channel), or nil when they may.
    public func membershipProblem(caseID: String, user: String) async -> String? {
        let answers = await extensions.collect(CasesPlugin.channelMembership, CaseRequest(caseID: caseID, actor: user), logger: logger)
        guard let answer = answers.first else { return "The Cases plugin is not enabled." }
        return answer.first
    }

    private func ask(_ point: ExtensionPoint<CaseRequest, CaseOutcome>, _ request: CaseRequest) async -> CaseOutcome {
        await extensions.collect(point, request, logger: logger).first
            ?? CaseOutcome(case: nil, error: "The Cases plugin is not enabled.")
    }
}
