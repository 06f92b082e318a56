// A fuller plugin than the README's example: its own table, a durable job that survives restarts,
// and an audit trail (DeployFreezeTests.swift). It was the README's example before the second
// edition of the plugin API, and stays as a test of storage, jobs and restarts through a plugin.
import CasebookKit

/// `/case freeze <reason>` announces a deploy freeze with a "Lift freeze" button; the freeze lifts
/// itself after `max_duration` through a durable job, so a restart does not forget it.
struct DeployFreeze: Plugin {
    /// Keys are the snake_case property names (`announce_channel`); a key left out takes the
    /// property's initial value, read from `defaults`.
    struct Configuration: PluginConfiguration {
        /// Where freezes are announced (a channel id or name).
        @Required var announceChannel: String
        /// How long a freeze lasts unless lifted earlier.
        var maxDuration = ConfigDuration(.seconds(4 * 3600))

        static let defaults = Configuration(announceChannel: "")
    }

    struct Lift: Codable, Sendable { var freezeID: Int }

    static let id = "freeze"
    static let summary = "Deploy freezes with a lift button and an automatic end"
    static let requirements = Requirements(scopes: ["chat:write"])
    static let migrations = [
        Migration(1, "create freezes", [
            "CREATE TABLE freeze_freezes (id INTEGER PRIMARY KEY, reason TEXT NOT NULL, frozen_by TEXT NOT NULL, lifted INTEGER NOT NULL DEFAULT 0)"
        ])
    ]
    static let liftJob = JobKey<Lift>("lift")
    static let liftAction = ActionKey<DeployFreeze>("lift") // "freeze.lift" on the wire

    let configuration: Configuration

    init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    func register(_ routes: inout Routes<Self>) {
        routes.command("freeze", usage: "<reason>", help: "Freeze deploys and tell everyone why.", use: DeployFreeze.freeze)
        routes.blockAction(Self.liftAction, use: DeployFreeze.liftButton)
        routes.job(Self.liftJob, use: DeployFreeze.liftOnSchedule)
    }

    func freeze(_ command: SlashCommand, _ context: InvocationContext) async throws -> Reply {
        guard !command.arguments.isEmpty else { throw UserFacingError("Usage: `\(context.usage("freeze", "<reason>"))`") }
        let (reason, user) = (command.arguments, command.userID)
        let until = context.clock.now().addingTimeInterval(configuration.maxDuration.duration.timeInterval)
        // The freeze, its end and its audit entry commit together.
        let id = try await context.storage.transaction { tx in
            let next = try await tx.sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS id FROM freeze_freezes").first(decoding: NextID.self)?.id ?? 1
            try await tx.sql.insert(into: "freeze_freezes").columns("id", "reason", "frozen_by").values(SQLBind(next), SQLBind(reason), SQLBind(user)).run()
            try await tx.jobs.schedule(Self.liftJob, Lift(freezeID: next), at: until, dedupeKey: "freeze-\(next)")
            try await tx.audit.record(actor: user, action: "freeze.started", subject: "freeze-\(next)", details: ["reason": .string(reason)])
            return next
        }
        try await context.slack.postMessage(channel: configuration.announceChannel, Message("Deploy freeze: \(reason)") {
            Block.section("*Deploys are frozen* by <@\(user)>: \(reason)")
            Block.actions([.button("Lift freeze", actionID: Self.liftAction.wire, value: "\(id)", style: .primary)])
        })
        return .ephemeral("Freeze #\(id) is on until \(until.formatted(date: .omitted, time: .shortened)).")
    }

    func liftButton(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        guard let id = action.value.flatMap(Int.init) else { return .ack }
        try await lift(id, by: action.userID, context: context)
        return .replaceOriginal(Message("Deploy freeze lifted by <@\(action.userID)>."))
    }

    func liftOnSchedule(_ job: Lift, _ context: PluginContext) async throws {
        try await lift(job.freezeID, by: "casebook", context: context)
    }

    func lift(_ id: Int, by user: String, context: PluginContext) async throws {
        let changed = try await context.storage.transaction { tx in
            let rows = try await tx.sql.raw("UPDATE freeze_freezes SET lifted = 1 WHERE id = \(bind: id) AND lifted = 0 RETURNING id").all()
            guard !rows.isEmpty else { return false }
            try await tx.jobs.cancel(dedupeKey: "freeze-\(id)")
            try await tx.audit.record(actor: user, action: "freeze.lifted", subject: "freeze-\(id)", details: [:])
            return true
        }
        if changed && user == "casebook" {
            try await context.slack.postMessage(channel: configuration.announceChannel, Message("Deploy freeze #\(id) ended on schedule."))
        }
    }

    struct NextID: Decodable { var id: Int }
}
