import CasebookKit
/// Where the store lives, parsed from `DATABASE_URL`.
enum DatabaseLocation: Sendable, Equatable {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresLocation)
}

/// The parts of a `postgres://user:password@host:port/database?sslmode=…` URL.
struct PostgresLocation: Sendable, Equatable {
    enum TLSMode: String, Sendable { case disable, prefer, require, verifyFull = "verify-full" }
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String
    var tls: TLSMode
}

/// Parsing and masking of database URLs. Errors never carry the password.
enum DatabaseURL {
    static let defaultFileName = "casebook.sqlite"

    /// Parses `url`; nil or empty means the SQLite file `casebook.sqlite` in `workingDirectory`.
    static func parse(_ url: String?, workingDirectory: String) throws -> DatabaseLocation {
        guard let url, !url.trimmingCharacters(in: .whitespaces).isEmpty else {
            return .sqliteFile(path: join(workingDirectory, defaultFileName))
        }
        let lower = url.lowercased()
        if lower.hasPrefix("sqlite:") {
            return try parseSQLite(String(url.dropFirst("sqlite:".count)), original: url, workingDirectory: workingDirectory)
        }
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            return .postgres(try parsePostgres(url))
        }
        let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init) ?? url
        throw StoreError.invalidURL(
            url: masked(url),
            reason: "unsupported scheme '\(scheme)' (use sqlite:PATH, sqlite:///ABSOLUTE/PATH, sqlite::memory: or postgres://USER:PASSWORD@HOST:PORT/DATABASE)"
        )
    }

    private static func parseSQLite(_ rest: String, original: String, workingDirectory: String) throws -> DatabaseLocation {
        if rest == ":memory:" { return .sqliteMemory }
        if rest.hasPrefix("///") { return .sqliteFile(path: String(rest.dropFirst(2))) }
        if rest.hasPrefix("//") {
            throw StoreError.invalidURL(url: masked(original), reason: "a SQLite URL has no host; use sqlite:RELATIVE/PATH or sqlite:///ABSOLUTE/PATH")
        }
        if rest.isEmpty {
            throw StoreError.invalidURL(url: masked(original), reason: "missing file path after 'sqlite:'")
        }
        return .sqliteFile(path: rest.hasPrefix("/") ? rest : join(workingDirectory, rest))
    }

    private static func parsePostgres(_ url: String) throws -> PostgresLocation {
        func fail(_ reason: String) -> StoreError { .invalidURL(url: masked(url), reason: reason) }
        guard let components = URLComponents(string: url) else { throw fail("not a valid URL") }
        guard let host = components.host, !host.isEmpty else { throw fail("missing host") }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw fail("port \(port) is out of range") }
        let username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        if database.contains("/") { throw fail("the path must be a single database name") }
        if database.isEmpty { database = username }
        var tls = PostgresLocation.TLSMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                let value = item.value ?? ""
                switch value {
                case "disable", "allow": tls = .disable
                case "prefer": tls = .prefer
                case "require": tls = .require
                case "verify-ca", "verify-full": tls = .verifyFull
                default: throw fail("unknown sslmode '\(value)' (disable, prefer, require, verify-full)")
                }
            default:
                throw fail("unknown parameter '\(item.name)' (only sslmode is supported)")
            }
        }
        return PostgresLocation(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
    }

    /// The URL with its password replaced by `***`, safe to log and print.
    /// A password may hold `/`, `?`, `#` or `@` unencoded, so the credentials end at the last `@`
    /// (masking too much of an odd URL is the safe mistake).
    static func masked(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        guard let at = afterScheme.lastIndex(of: "@") else { return url }
        let userInfo = afterScheme[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<url.index(after: colon)]) + "***" + String(url[at...])
    }

    private static func join(_ directory: String, _ file: String) -> String {
        directory.hasSuffix("/") ? directory + file : directory + "/" + file
    }
}
