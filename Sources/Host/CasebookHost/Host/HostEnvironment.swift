import CasebookKit

/// The process environment Casebook reads, validated into one value. Every problem is one line
/// naming the variable; secrets are never echoed back.
public struct HostEnvironment: Sendable {
    public var botToken: String?
    public var appToken: String?
    public var signingSecret: String?
    public var apiURL: String
    public var databaseURL: String?
    public var port: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var configPath: String?

    public enum LogFormat: String, Sendable { case text, json }

    /// How `serve` connects: Socket Mode when an app token is set, else HTTP Request URLs.
    public enum Transport: Sendable, Equatable { case socketMode, http }

    public static let defaultAPIURL = "https://slack.com/api/"

    public init(
        botToken: String? = nil, appToken: String? = nil, signingSecret: String? = nil, apiURL: String = defaultAPIURL,
        databaseURL: String? = nil, port: Int = 3000, logLevel: Logger.Level = .info, logFormat: LogFormat = .text,
        configPath: String? = nil
    ) {
        self.botToken = botToken
        self.appToken = appToken
        self.signingSecret = signingSecret
        self.apiURL = apiURL
        self.databaseURL = databaseURL
        self.port = port
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.configPath = configPath
    }

    /// Reads and validates the variables; throws the first problem found.
    public init(_ variables: [String: String]) throws(EnvironmentError) {
        func value(_ name: String) -> String? {
            guard let raw = variables[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        self.init()
        botToken = value("SLACK_BOT_TOKEN")
        if let botToken, !botToken.hasPrefix("xoxb-") {
            throw EnvironmentError("SLACK_BOT_TOKEN must be a bot token starting with xoxb- (it starts with '\(botToken.prefix(4))')")
        }
        appToken = value("SLACK_APP_TOKEN")
        if let appToken, !appToken.hasPrefix("xapp-") {
            throw EnvironmentError("SLACK_APP_TOKEN must be an app-level token starting with xapp- (it starts with '\(appToken.prefix(4))')")
        }
        signingSecret = value("SLACK_SIGNING_SECRET")
        if let url = value("SLACK_API_URL") {
            guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host,
                  scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host))
            else {
                // The bot token travels with every call: never in clear text off this machine.
                throw EnvironmentError(
                    "SLACK_API_URL must be an https:// URL such as https://slack.com/api/ (http:// only to 127.0.0.1 or localhost; got '\(url)')")
            }
            apiURL = url.hasSuffix("/") ? url : url + "/"
        }
        databaseURL = value("DATABASE_URL")
        if let port = value("PORT") {
            guard let number = Int(port), (0...65535).contains(number) else {
                throw EnvironmentError("PORT must be a port number from 0 to 65535 (got '\(port)')")
            }
            self.port = number
        }
        if let level = value("LOG_LEVEL") {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw EnvironmentError("LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got '\(level)')")
            }
            logLevel = parsed
        }
        if let format = value("LOG_FORMAT") {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw EnvironmentError("LOG_FORMAT must be text or json (got '\(format)')")
            }
            logFormat = parsed
        }
        configPath = value("CASEBOOK_CONFIG")
    }

    /// Checks what `serve` needs and picks the transport.
    public func servingTransport() throws(EnvironmentError) -> Transport {
        guard botToken != nil else {
            throw EnvironmentError("SLACK_BOT_TOKEN is not set: casebook serve needs your Slack app's bot token (xoxb-…)")
        }
        if appToken != nil { return .socketMode }
        if signingSecret != nil { return .http }
        throw EnvironmentError(
            "neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP Request URLs) is set: casebook serve needs one of them")
    }
}

/// A missing or malformed environment variable, as one line.
public struct EnvironmentError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
