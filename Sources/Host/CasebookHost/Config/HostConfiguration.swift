import CasebookKit

/// The `host:` section of `plugins.yaml`: how Casebook presents itself in Slack and whom it serves.
///
/// | key | default | meaning |
/// | --- | --- | --- |
/// | `slash_command` | `/case` | The slash command every plugin's subcommands hang off (`/case open …`). Starts with `/`, 2–32 characters, lowercase, no spaces. |
/// | `app_name` | `Casebook` | App name in the Slack app manifest (1–35 characters). |
/// | `bot_display_name` | `casebook` | The bot user's display name in the manifest (1–80 characters). |
/// | `allowed_workspaces` | `[]` | Team ids (`T…`) allowed to use the app; empty means any workspace the app is installed in. |
/// | `external_users` | `refuse` | `refuse` or `allow`: people from other organisations in shared (Slack Connect) channels. |
/// | `guests` | `allow` | `allow` or `refuse`: single- and multi-channel guests of the workspace. |
/// | `rate_limit` | `{ per_user: 20, per: 60s }` | At most `per_user` invocations per person in each `per` window. Durations take `s`, `m`, `h`, `d` (`90s`, `30m`, `2h`, `7d`). |
/// | `sockets` | `2` | Socket Mode connections held open at once (1–10); more than one keeps delivery going while one reconnects. |
/// | `http` | `{ bind: … }` | `bind`: the address the HTTP server listens on. Default `127.0.0.1` in Socket Mode (health and metrics need no public port) and `0.0.0.0` in HTTP mode; set `0.0.0.0` to receive webhooks from other machines in Socket Mode. `drain` (default `5s`): on SIGTERM `/readyz` answers 503 this long before the server stops, so load balancers stop sending first. |
/// | `jobs` | `{ max_attempts: 16, max_backoff: 1h, retention: 7d }` | Durable jobs: attempts before a job is dead (with backoff from 2 s doubling up to `max_backoff`, 16 attempts span about 3–6 hours, so an outage delays work instead of killing it), and how long finished jobs are kept. |
///
/// Every key is optional; `${VAR}` and `${VAR:-default}` are replaced from the environment.
public struct HostConfiguration: Sendable, Equatable {
    /// Whether a class of users may use the app.
    public enum Policy: String, Sendable, Equatable, CaseIterable, Decodable {
        case allow
        case refuse
    }

    /// A per-user budget of invocations in a sliding window.
    public struct RateLimit: Sendable, Equatable {
        public var perUser: Int
        public var window: Duration

        public init(perUser: Int = 20, window: Duration = .seconds(60)) {
            self.perUser = perUser
            self.window = window
        }
    }

    public var slashCommand: String
    public var appName: String
    public var botDisplayName: String
    public var allowedWorkspaces: [String]
    public var externalUsers: Policy
    public var guests: Policy
    /// How durable jobs are retried and kept.
    public struct Jobs: Sendable, Equatable {
        public var maxAttempts: Int
        public var maximumBackoff: Duration
        /// Finished (done, cancelled) jobs are deleted after this long.
        public var retention: Duration

        public init(maxAttempts: Int = 16, maximumBackoff: Duration = .seconds(3600), retention: Duration = .seconds(7 * 86_400)) {
            self.maxAttempts = maxAttempts
            self.maximumBackoff = maximumBackoff
            self.retention = retention
        }
    }

    public var rateLimit: RateLimit
    public var sockets: Int
    public var jobs: Jobs
    /// `http.bind`; nil chooses by transport (``bindAddress(socketMode:)``).
    public var httpBind: String?
    /// `http.drain` as written: how long `/readyz` says "shutting down" before the server stops.
    public var httpDrain: Duration?
    /// `http.drain`, default 5 s.
    public var shutdownDrain: Duration { httpDrain ?? .seconds(5) }

    /// Where the HTTP server listens: `http.bind`, else loopback in Socket Mode (Slack needs no
    /// public port there) and every interface in HTTP mode (Slack must reach it).
    public func bindAddress(socketMode: Bool) -> String {
        httpBind ?? (socketMode ? "127.0.0.1" : "0.0.0.0")
    }

    public init(
        slashCommand: String = "/case", appName: String = "Casebook", botDisplayName: String = "casebook",
        allowedWorkspaces: [String] = [], externalUsers: Policy = .refuse, guests: Policy = .allow,
        rateLimit: RateLimit = RateLimit(), sockets: Int = 2, jobs: Jobs = Jobs(), httpBind: String? = nil
    ) {
        self.jobs = jobs
        self.httpBind = httpBind
        self.slashCommand = slashCommand
        self.appName = appName
        self.botDisplayName = botDisplayName
        self.allowedWorkspaces = allowedWorkspaces
        self.externalUsers = externalUsers
        self.guests = guests
        self.rateLimit = rateLimit
        self.sockets = sockets
    }
}

/// The host section as written: every key optional, so defaults apply to what is left out.
struct HostSection: Decodable {
    struct RateLimitSection: Decodable {
        var perUser: Int?
        var per: ConfigDuration?
    }

    var slashCommand: String?
    var appName: String?
    var botDisplayName: String?
    var allowedWorkspaces: [String]?
    var externalUsers: HostConfiguration.Policy?
    var guests: HostConfiguration.Policy?
    struct JobsSection: Decodable {
        var maxAttempts: Int?
        var maxBackoff: ConfigDuration?
        var retention: ConfigDuration?
    }

    struct HTTPSection: Decodable {
        var bind: String?
        var drain: ConfigDuration?
    }

    var rateLimit: RateLimitSection?
    var sockets: Int?
    var jobs: JobsSection?
    var http: HTTPSection?

    enum CodingKeys: String, CodingKey {
        case slashCommand, appName, botDisplayName, allowedWorkspaces, externalUsers, guests, rateLimit, sockets, jobs, http
    }

    /// Reads every key even when an earlier one is wrong, so all host problems are reported together.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var errors: [any Error] = []
        func field<T: Decodable>(_ key: CodingKeys, as type: T.Type = T.self) -> T? {
            do {
                return try container.decodeIfPresent(T.self, forKey: key)
            } catch {
                errors.append(error)
                return nil
            }
        }
        slashCommand = field(.slashCommand)
        appName = field(.appName)
        botDisplayName = field(.botDisplayName)
        allowedWorkspaces = field(.allowedWorkspaces)
        externalUsers = field(.externalUsers)
        guests = field(.guests)
        rateLimit = field(.rateLimit)
        sockets = field(.sockets)
        jobs = field(.jobs)
        http = field(.http)
        if !errors.isEmpty {
            throw CollectedDecodingErrors(errors: errors)
        }
    }

    /// Applies defaults and checks ranges; `place` finds the node of a key for messages.
    func resolved(place: (ConfigPath) -> SourcePosition) -> (HostConfiguration, [LocatedProblem]) {
        var problems: [LocatedProblem] = []
        func check(_ condition: Bool, _ key: String..., message: String) {
            guard !condition else { return }
            let path = ConfigPath(keys: "host").appending(ConfigPath(key.map(ConfigPath.Component.key)))
            problems.append(LocatedProblem(position: place(path), path: path, message: message))
        }
        let defaults = HostConfiguration()
        let configuration = HostConfiguration(
            slashCommand: slashCommand ?? defaults.slashCommand,
            appName: appName ?? defaults.appName,
            botDisplayName: botDisplayName ?? defaults.botDisplayName,
            allowedWorkspaces: allowedWorkspaces ?? defaults.allowedWorkspaces,
            externalUsers: externalUsers ?? defaults.externalUsers,
            guests: guests ?? defaults.guests,
            rateLimit: HostConfiguration.RateLimit(
                perUser: rateLimit?.perUser ?? defaults.rateLimit.perUser,
                window: rateLimit?.per?.duration ?? defaults.rateLimit.window),
            sockets: sockets ?? defaults.sockets,
            jobs: HostConfiguration.Jobs(
                maxAttempts: jobs?.maxAttempts ?? defaults.jobs.maxAttempts,
                maximumBackoff: jobs?.maxBackoff?.duration ?? defaults.jobs.maximumBackoff,
                retention: jobs?.retention?.duration ?? defaults.jobs.retention),
            httpBind: http?.bind.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) })

        let command = configuration.slashCommand
        check(command.hasPrefix("/") && (2...32).contains(command.count)
                && !command.contains(where: { $0.isWhitespace || $0.isUppercase }),
              "slash_command", message: "'\(command)' is not a slash command: it must start with '/', be 2–32 characters, lowercase, without spaces")
        check((1...35).contains(configuration.appName.count), "app_name", message: "must be 1–35 characters (a Slack app name)")
        check((1...80).contains(configuration.botDisplayName.count), "bot_display_name", message: "must be 1–80 characters")
        check(configuration.rateLimit.perUser >= 1, "rate_limit", "per_user", message: "must be at least 1")
        check(configuration.rateLimit.window > .zero, "rate_limit", "per", message: "must be longer than 0s")
        check((1...10).contains(configuration.sockets), "sockets", message: "must be between 1 and 10 (Slack allows at most 10 Socket Mode connections)")
        if let bind = configuration.httpBind {
            check(bind.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" } || bind == "localhost", "http", "bind",
                  message: "'\(bind)' is not an address to listen on (e.g. 127.0.0.1, 0.0.0.0 or ::)")
        }
        check((1...100).contains(configuration.jobs.maxAttempts), "jobs", "max_attempts", message: "must be between 1 and 100")
        check(configuration.jobs.maximumBackoff >= .seconds(1), "jobs", "max_backoff", message: "must be at least 1s")
        check(configuration.jobs.retention >= .seconds(3600), "jobs", "retention", message: "must be at least 1h (finished jobs are how an operator sees what ran)")
        var drained = configuration
        drained.httpDrain = http?.drain?.duration
        if let drain = drained.httpDrain {
            check(drain >= .zero && drain <= .seconds(60), "http", "drain", message: "must be between 0s and 60s")
        }
        return (drained, problems)
    }
}
