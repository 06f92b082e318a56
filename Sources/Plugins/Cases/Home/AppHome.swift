import CasebookKit

/// The app's Home tab (`home_tab: true`): opening it (`app_home_opened`) publishes the open cases,
/// the viewer's own recent ones and a "Start a case" button; every case change schedules one
/// durable, debounced refresh that republishes it for everyone who opened it lately.
extension CasesPlugin {
    /// Severity names of incidents by case id, from the plugin that keeps severities (the roles
    /// plugin), for the Home tab. The input is the ids of cases that were escalated.
    public static let caseSeverities = ExtensionPoint<[String], [String: String]>("cases.case_severities")

    /// Another plugin changed what the Home tab shows about a case (the roles plugin, its
    /// severity): schedules the debounced refresh. Answers what failed, so the caller's job retries.
    public static let homeChanged = ExtensionPoint<String, [String]>("cases.home_changed")

    /// What a refresh of everyone's Home tab carries: nothing, it reads the cases when it runs.
    struct HomeRefresh: Codable, Sendable, Equatable {}

    static let homeRefresh = JobKey<HomeRefresh>("home_refresh")
    /// One pending refresh at a time: a burst of changes within the delay makes one refresh.
    static let homeRefreshKey = "home_refresh"
    static let homeRefreshDelay: TimeInterval = 5
    /// People who have not opened the Home tab for this long are not republished (nor remembered).
    static let homeViewerRetention: TimeInterval = 30 * 86_400
    /// At most this many Home tabs (the most recently opened) are republished per refresh.
    static let homeRefreshLimit = 500

    /// The manifest asks for the Home tab and its events only when `home_tab` is on. `user_change`
    /// (scope `users:read`, which Casebook has anyway) tells when someone who looks at the tab
    /// becomes a guest or leaves.
    static func addHomeTab(to requirements: inout Requirements, _ configuration: Configuration) {
        guard configuration.homeTab else { return }
        requirements.homeTab = true
        requirements.events.insert("app_home_opened")
        requirements.events.insert("user_change")
    }

    func registerHome(_ routes: inout Routes<CasesPlugin>) {
        guard configuration.homeTab else { return }
        routes.group(allowedWorkspaces) { routes in
            routes.event("app_home_opened", use: CasesPlugin.homeOpened)
            routes.event("user_change", use: CasesPlugin.homeViewerChanged)
            routes.blockAction(HomeTab.startAction, use: CasesPlugin.homeStartButton)
        }
        routes.job(Self.homeRefresh, use: CasesPlugin.refreshHomes)
        routes.subscribe(CaseOpened.self, use: CasesPlugin.scheduleHomeRefresh)
        routes.subscribe(CaseEscalated.self, use: CasesPlugin.scheduleHomeRefresh)
        routes.subscribe(CommanderChanged.self, use: CasesPlugin.scheduleHomeRefresh)
        routes.subscribe(CaseResolved.self, use: CasesPlugin.scheduleHomeRefresh)
        routes.subscribe(CaseClosed.self, use: CasesPlugin.scheduleHomeRefresh)
        routes.contribute(to: Self.homeChanged, use: CasesPlugin.homeChanged(by:_:))
    }

    /// Publishes the Home tab of the person who opened it. Guests and people from other
    /// organisations get a tab that shows no case, and are not republished on changes.
    func homeOpened(_ event: SlackEvent, _ context: PluginContext) async throws {
        guard event.payload["tab"]?.string == "home", let user = event.userID, user != context.installation.botUserID else { return }
        let person = try await context.slack.userInfo(user)
        guard !person.isGuest, person.isMember(of: context.installation.teamID) else {
            _ = try await context.storage.transaction { tx in try await HomeViewerStore.forget(user, on: tx.sql) }
            try await publishHome(user: user, HomeTab.restricted(), context)
            return
        }
        let now = context.clock.now()
        try await context.storage.transaction { tx in try await HomeViewerStore.record(user, at: now, on: tx.sql) }
        try await publishHome(user: user, try await homeView(for: user, board: try await homeBoard(context), now: now, context), context)
    }

    /// Someone's account changed. A viewer of the Home tab who is now a guest or from another
    /// organisation is forgotten and gets the tab that shows no case at once, instead of the full
    /// one at the next case change; a deactivated one is only forgotten.
    func homeViewerChanged(_ event: SlackEvent, _ context: PluginContext) async throws {
        guard let json = event.payload["user"], json["id"]?.string != nil else { return }
        let person = SlackUser(json: json)
        guard person.deleted || person.isGuest || !person.isMember(of: context.installation.teamID) else { return }
        let wasViewer = try await context.storage.transaction { tx in try await HomeViewerStore.forget(person.id, on: tx.sql) }
        guard wasViewer, !person.deleted else { return }
        try await publishHome(user: person.id, HomeTab.restricted(), context)
    }

    /// "Start a case" on the Home tab opens the same modal as the ⚡ shortcut.
    func homeStartButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        .openModal(try await startModal(context))
    }

    /// Schedules the refresh unless one is pending: the first change of a burst schedules it a few
    /// seconds out, the rest find it pending (the dedupe key keeps racing subscribers to one job).
    /// After any change to a case: the Home tabs show the active ones.
    func scheduleHomeRefresh<Event: CaseLifecycleEvent>(_ event: Event, _ context: PluginContext) async throws {
        try await scheduleHomeRefresh(context)
    }

    /// Another plugin changed what the Home tabs show; answers what did not work, in words.
    func homeChanged(by plugin: String, _ context: PluginContext) async -> [String] {
        do {
            try await scheduleHomeRefresh(context)
            return []
        } catch {
            return ["The Home tab refresh was not scheduled (\(error))."]
        }
    }

    func scheduleHomeRefresh(_ context: PluginContext) async throws {
        guard try await context.jobs.pending(dedupeKeyPrefix: Self.homeRefreshKey).isEmpty else { return }
        let due = context.clock.now().addingTimeInterval(Self.homeRefreshDelay)
        try await context.jobs.schedule(Self.homeRefresh, HomeRefresh(), at: due, dedupeKey: Self.homeRefreshKey)
    }

    /// Republishes the Home tab of everyone who opened it in the last 30 days. People Slack no
    /// longer knows are forgotten; any other failure retries the whole refresh (publishing is idempotent).
    func refreshHomes(_ job: HomeRefresh, _ context: PluginContext) async throws {
        try await refreshHomes(context)
    }

    func refreshHomes(_ context: PluginContext) async throws {
        let now = context.clock.now()
        let cutoff = now.addingTimeInterval(-Self.homeViewerRetention)
        let viewers = try await context.storage.transaction { tx in
            try await HomeViewerStore.forget(before: cutoff, on: tx.sql)
            return try await HomeViewerStore.viewers(since: cutoff, limit: Self.homeRefreshLimit, on: tx.sql)
        }
        guard !viewers.isEmpty else { return }
        let board = try await homeBoard(context)
        var failures: [String] = []
        for user in viewers {
            do {
                try await context.slack.publishHome(user: user, try await homeView(for: user, board: board, now: now, context))
            } catch let error as SlackAPIError where ["user_not_found", "account_inactive", "user_not_visible"].contains(error.code) {
                _ = try await context.storage.transaction { tx in try await HomeViewerStore.forget(user, on: tx.sql) }
            } catch let error as SlackAPIError where error.code == "not_enabled" {
                context.logger.warning("the Home tab is not enabled in the Slack app; update it from `casebook manifest`")
                return
            } catch {
                failures.append("\(user): \(error)")
            }
        }
        if !failures.isEmpty { throw HomeRefreshFailed(failures: failures) }
    }

    /// The open cases every member's Home shows, with severities when a plugin keeps them.
    func homeBoard(_ context: PluginContext) async throws -> HomeTab.Board {
        let (open, total) = try await context.storage.read { db in try await CaseStore.activeWithTotal(limit: HomeTab.openLimit, on: db) }
        return HomeTab.Board(open: open, openTotal: total, severities: await severities(of: open, context))
    }

    /// `user`'s Home tab: the board, and the cases they took part in with their severities.
    func homeView(for user: String, board: HomeTab.Board, now: Date, _ context: PluginContext) async throws -> HomeView {
        let own = try await context.storage.read { db in try await HomeViewerStore.recentCases(of: user, limit: HomeTab.ownLimit, on: db) }
        var severities = board.severities
        severities.merge(await self.severities(of: own.filter { severities[$0.id] == nil }, context)) { first, _ in first }
        return HomeTab.make(board.open, total: board.openTotal, own: own, severities: severities, now: now, context)
    }

    /// Severity names of the escalated cases among `cases` (a closed one keeps the severity it ended with).
    func severities(of cases: [Case], _ context: PluginContext) async -> [String: String] {
        let ids = cases.filter(\.wasEscalated).map(\.id)
        guard !ids.isEmpty else { return [:] }
        let answers = await context.extensions.collect(Self.caseSeverities, ids, logger: context.logger)
        return answers.reduce(into: [:]) { merged, answer in merged.merge(answer) { first, _ in first } }
    }

    private func publishHome(user: String, _ view: HomeView, _ context: PluginContext) async throws {
        do {
            try await context.slack.publishHome(user: user, view)
        } catch let error as SlackAPIError where error.code == "not_enabled" {
            context.logger.warning("the Home tab is not enabled in the Slack app; update it from `casebook manifest`")
        }
    }
}

/// Some Home tabs could not be republished; the refresh job retries them all.
struct HomeRefreshFailed: Error, CustomStringConvertible {
    var failures: [String]
    var description: String { "Home tab not republished for \(failures.joined(separator: "; "))" }
}
