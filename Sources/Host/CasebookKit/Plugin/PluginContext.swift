/// Everything a plugin handler may use, scoped to the plugin: the Slack client carries the plugin's
/// declared scopes, storage its own tables, jobs and the audit timeline its id.
public struct PluginContext: Sendable {
    public let pluginID: String
    /// The slash command the workspace uses, e.g. `/case` (for usage lines).
    public let slashCommand: String
    /// The installation: the workspace the bot is installed in, and the bot's own user id.
    public let installation: Installation
    public let slack: any SlackAPI
    public var logger: Logger
    public let clock: any WallClock
    public let storage: any PluginStorage
    public let jobs: any JobScheduling
    public let events: any EventPublishing
    public let audit: any AuditRecording & AuditReading
    public let extensions: ExtensionPoints
    /// Outbound HTTP to third-party services (timeouts, retries, metrics, redaction).
    public let http: any OutboundHTTP
    /// The approval gate for side effects that need a person's approval first.
    public let approvals: any ApprovalGate
    /// The plugin's metrics and the case lifecycle's (see ``PluginMetrics``).
    public let metrics: PluginMetrics

    public init(
        pluginID: String, slashCommand: String, installation: Installation, slack: any SlackAPI, logger: Logger,
        clock: any WallClock, storage: any PluginStorage, jobs: any JobScheduling, events: any EventPublishing,
        audit: any AuditRecording & AuditReading, extensions: ExtensionPoints, http: any OutboundHTTP, approvals: any ApprovalGate,
        metrics: PluginMetrics? = nil
    ) {
        self.metrics = metrics ?? PluginMetrics(pluginID: pluginID, factory: MetricsSystem.factory)
        self.http = http
        self.approvals = approvals
        self.pluginID = pluginID
        self.slashCommand = slashCommand
        self.installation = installation
        self.slack = slack
        self.logger = logger
        self.clock = clock
        self.storage = storage
        self.jobs = jobs
        self.events = events
        self.audit = audit
        self.extensions = extensions
    }

    /// Metrics labelled with the plugin id (`casebook_plugin_<id>_<name>`).
    public func counter(_ name: String, dimensions: [(String, String)] = []) -> Counter {
        metrics.counter(name, dimensions: dimensions)
    }

    /// Posts a message after a change that is already committed, logging instead of throwing: the
    /// change must not be reported as failed because its announcement did not go out.
    @discardableResult
    public func announce(_ message: Message, in channel: String) async -> MessageRef? {
        do {
            return try await slack.postMessage(channel: channel, message)
        } catch {
            logger.warning("announcement not posted", metadata: ["channel": "\(channel)", "error": "\(error)"])
            return nil
        }
    }

    /// `/case <subcommand> <usage>` for usage lines.
    public func usage(_ subcommand: String, _ arguments: String = "") -> String {
        arguments.isEmpty ? "\(slashCommand) \(subcommand)" : "\(slashCommand) \(subcommand) \(arguments)"
    }
}

/// The workspace Casebook is installed in.
public struct Installation: Sendable, Equatable {
    public var teamID: String
    public var botUserID: String
    /// `host.guests: refuse`: guests may neither use Casebook nor be given an incident role.
    public var refusesGuests: Bool
    public init(teamID: String, botUserID: String, refusesGuests: Bool = false) {
        self.teamID = teamID
        self.botUserID = botUserID
        self.refusesGuests = refusesGuests
    }

    /// Whether `user` may hold an incident role or command: a real person of this workspace (not
    /// the bot, another bot, a deactivated or external user), and not a guest when guests are refused.
    public func mayHoldRole(_ user: SlackUser) -> Bool {
        user.id != botUserID && user.isMember(of: teamID) && !(refusesGuests && user.isGuest)
    }
}
