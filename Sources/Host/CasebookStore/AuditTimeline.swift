import CasebookKit
import Crypto

/// The append-only, hash-chained audit timeline of one plugin. Each entry's hash covers the previous
/// entry's hash and the entry's fields, and a head row holds the last sequence and hash, so editing
/// any entry, or deleting one anywhere including the tail, breaks the chain.
struct AuditTimeline: AuditRecording, AuditReading {
    let database: Database
    let plugin: String

    func record(actor: String, action: String, subject: String, details: JSONValue) async throws {
        let plugin = plugin
        let at = millis(database.clock.now())
        let text = details.encoded()
        let postgres = database.isPostgres
        try await database.inTransaction { sql in
            // The head row is the chain's lock: appends of concurrent writers and replicas queue here.
            // (SQLite transactions already hold the single write lock.)
            let head = try await sql.raw("""
                SELECT sequence, hash FROM casebook_audit_head WHERE id = 1 \(unsafeRaw: postgres ? "FOR UPDATE" : "")
                """).first()
            let previousSequence = try head?.decode(column: "sequence", as: Int64.self) ?? 0
            let previousHash = try head?.decode(column: "hash", as: String.self) ?? ""
            let sequence = previousSequence + 1
            let hash = Self.hash(
                previous: previousHash, sequence: sequence, plugin: plugin, actor: actor, action: action,
                subject: subject, details: text, at: at
            )
            try await sql.raw("""
                INSERT INTO casebook_audit (sequence, plugin, actor, action, subject, details, at, prev_hash, hash)
                VALUES (\(bind: sequence), \(bind: plugin), \(bind: actor), \(bind: action), \(bind: subject),
                        \(bind: text), \(bind: at), \(bind: previousHash), \(bind: hash))
                """).run()
            try await sql.raw("UPDATE casebook_audit_head SET sequence = \(bind: sequence), hash = \(bind: hash) WHERE id = 1").run()
        }
    }

    func entries(subject: String) async throws -> [AuditEntry] {
        try await database.withSession { sql in
            try await sql.raw("""
                SELECT sequence, plugin, actor, action, subject, details, at FROM casebook_audit
                WHERE subject = \(bind: subject) ORDER BY sequence
                """).all().map(Self.entry)
        }
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.decode(column: "sequence", as: Int64.self),
            plugin: try row.decode(column: "plugin", as: String.self),
            actor: try row.decode(column: "actor", as: String.self),
            action: try row.decode(column: "action", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            details: (try? JSONValue.decode(try row.decode(column: "details", as: String.self))) ?? .null,
            at: date(millis: try row.decode(column: "at", as: Int64.self))
        )
    }

    /// SHA-256 (hex) over a JSON array of the previous hash and the stored fields: unambiguous, and
    /// computed from the stored text so verification never depends on re-encoding.
    static func hash(
        previous: String, sequence: Int64, plugin: String, actor: String, action: String, subject: String,
        details: String, at: Int64
    ) -> String {
        let canonical = JSONValue.array([
            .string(previous), .string(String(sequence)), .string(plugin), .string(actor), .string(action),
            .string(subject), .string(details), .string(String(at)),
        ]).encoded()
        return SHA256.hash(data: Data(canonical.utf8)).hexString
    }
}

/// The result of checking the whole audit chain.
public struct AuditVerification: Sendable, Equatable, CustomStringConvertible {
    /// How many entries were checked.
    public var entries: Int64
    /// The first sequence number at which the chain is broken, nil if intact.
    public var firstBadSequence: Int64?
    /// What is wrong there.
    public var problem: String?

    public init(entries: Int64, firstBadSequence: Int64?, problem: String?) {
        self.entries = entries
        self.firstBadSequence = firstBadSequence
        self.problem = problem
    }

    public var isIntact: Bool { firstBadSequence == nil }

    public var description: String {
        if let firstBadSequence, let problem {
            return "audit timeline broken at entry \(firstBadSequence): \(problem)"
        }
        return "audit timeline intact (\(entries) entries)"
    }
}

extension Database {
    /// The audit timeline as `plugin` writes and reads it.
    public func audit(plugin: String) -> any AuditRecording & AuditReading {
        AuditTimeline(database: self, plugin: plugin)
    }

    /// Every entry in order, across plugins (for export and operators).
    public func auditEntries(after sequence: Int64 = 0, limit: Int = 1000) async throws -> [AuditEntry] {
        try await withSession { sql in
            try await sql.raw("""
                SELECT sequence, plugin, actor, action, subject, details, at FROM casebook_audit
                WHERE sequence > \(bind: sequence) ORDER BY sequence LIMIT \(literal: limit)
                """).all().map(AuditTimeline.entry)
        }
    }

    /// Walks the chain from the first entry and names the first entry that was edited or deleted.
    public func verifyAudit() async throws -> AuditVerification {
        try await withSession { sql in
            var expected: Int64 = 1
            var previousHash = ""
            let pageSize = 1000
            while true {
                let rows = try await sql.raw("""
                    SELECT sequence, plugin, actor, action, subject, details, at, prev_hash, hash FROM casebook_audit
                    WHERE sequence >= \(bind: expected) ORDER BY sequence LIMIT \(literal: pageSize)
                    """).all()
                for row in rows {
                    let sequence = try row.decode(column: "sequence", as: Int64.self)
                    let checked = expected - 1
                    if sequence != expected {
                        return AuditVerification(entries: checked, firstBadSequence: expected, problem: "entry is missing (deleted)")
                    }
                    if try row.decode(column: "prev_hash", as: String.self) != previousHash {
                        return AuditVerification(entries: checked, firstBadSequence: sequence, problem: "previous-hash link does not match (an earlier entry was rewritten)")
                    }
                    let hash = AuditTimeline.hash(
                        previous: previousHash, sequence: sequence,
                        plugin: try row.decode(column: "plugin", as: String.self),
                        actor: try row.decode(column: "actor", as: String.self),
                        action: try row.decode(column: "action", as: String.self),
                        subject: try row.decode(column: "subject", as: String.self),
                        details: try row.decode(column: "details", as: String.self),
                        at: try row.decode(column: "at", as: Int64.self)
                    )
                    if try row.decode(column: "hash", as: String.self) != hash {
                        return AuditVerification(entries: checked, firstBadSequence: sequence, problem: "content does not match its hash (edited)")
                    }
                    previousHash = hash
                    expected += 1
                }
                if rows.count < pageSize { break }
            }
            let last = expected - 1
            let head = try await sql.raw("SELECT sequence, hash FROM casebook_audit_head WHERE id = 1").first()
            let headSequence = try head?.decode(column: "sequence", as: Int64.self) ?? 0
            let headHash = try head?.decode(column: "hash", as: String.self) ?? ""
            if headSequence != last || headHash != previousHash {
                if headSequence > last {
                    return AuditVerification(entries: last, firstBadSequence: last + 1, problem: "entry is missing (deleted)")
                }
                return AuditVerification(entries: last, firstBadSequence: min(headSequence + 1, last), problem: "chain head does not match the last entry")
            }
            return AuditVerification(entries: last, firstBadSequence: nil, problem: nil)
        }
    }
}
