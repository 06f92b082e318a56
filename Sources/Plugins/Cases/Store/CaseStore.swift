import CasebookKit

/// The SQL of the plugin's tables. Every function takes the database handle it runs on, so the same
/// query serves a plain read (`storage.read`) and a transaction (`tx.sql`).
///
/// State changes are conditional updates (`… WHERE status = 'investigating' RETURNING …`): two
/// people escalating at the same moment both run the update, and only the one whose update found
/// the row still investigating gets a row back. That holds on SQLite (one writer) and on
/// PostgreSQL (the second update waits for the first and re-checks its condition).
enum CaseStore {
    static let columns = """
        id, name, title, status, channel_id, opened_by, opened_at, escalated_by, escalated_at, commander, \
        resolved_by, resolved_at, closed_by, closed_at, evidence_count, summary_channel, summary_ts, \
        notification_channel, notification_ts, is_private
        """

    // MARK: Reading

    static func find(id: String, on db: any SQLDatabase) async throws -> Case? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM cases_cases WHERE id = \(bind: id)").first().map(decode)
    }

    static func find(channel: String, on db: any SQLDatabase) async throws -> Case? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM cases_cases WHERE channel_id = \(bind: channel)").first().map(decode)
    }

    /// The case that is not closed yet opened under `key` (``OpenCaseRequest/externalKey``).
    static func find(externalKey key: String, on db: any SQLDatabase) async throws -> Case? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM cases_cases
            WHERE status <> 'closed' AND id = (SELECT case_id FROM cases_external_keys WHERE external_key = \(bind: key))
            """).first().map(decode)
    }

    /// Points `key` at `caseID` (a closed case's key moves on to the new one).
    static func setExternalKey(_ key: String, caseID: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO cases_external_keys (external_key, case_id) VALUES (\(bind: key), \(bind: caseID))
            ON CONFLICT (external_key) DO UPDATE SET case_id = excluded.case_id
            """).run()
    }

    /// Cases that are not closed, newest first.
    static func active(limit: Int, on db: any SQLDatabase) async throws -> [Case] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM cases_cases WHERE status <> 'closed'
            ORDER BY opened_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(decode)
    }

    /// The newest `limit` active cases and how many are active in all, in one statement (`/case
    /// list` and the Home board: one statement instead of two is one SQLite prepare and step fewer).
    static func activeWithTotal(limit: Int, on db: any SQLDatabase) async throws -> (cases: [Case], total: Int) {
        let rows = try await db.raw("""
            SELECT \(unsafeRaw: columns),
                   (SELECT CAST(COUNT(*) AS BIGINT) FROM cases_cases WHERE status <> 'closed') AS active_total
            FROM cases_cases WHERE status <> 'closed'
            ORDER BY opened_at DESC, id DESC LIMIT \(literal: limit)
            """).all()
        let total = try rows.first.map { Int(try $0.decode(column: "active_total", as: Int64.self)) } ?? 0
        return (try rows.map(decode), total)
    }

    /// Where a page of the export ends; the next page starts strictly after it.
    struct PageCursor: Sendable, Equatable {
        var openedAt: Int64
        var id: String
    }

    /// Every case in (opened_at, id) order, one page at a time (keyset pagination: each page is an
    /// index range scan, however deep into the table it is).
    static func page(after cursor: PageCursor?, limit: Int, on db: any SQLDatabase) async throws -> [Case] {
        if let cursor {
            return try await db.raw("""
                SELECT \(unsafeRaw: columns) FROM cases_cases
                WHERE opened_at > \(bind: cursor.openedAt) OR (opened_at = \(bind: cursor.openedAt) AND id > \(bind: cursor.id))
                ORDER BY opened_at, id LIMIT \(literal: limit)
                """).all().map(decode)
        }
        return try await db.raw("SELECT \(unsafeRaw: columns) FROM cases_cases ORDER BY opened_at, id LIMIT \(literal: limit)")
            .all().map(decode)
    }

    /// The most recent active case `user` took part in.
    static func latestActiveCase(of user: String, on db: any SQLDatabase) async throws -> Case? {
        let prefixed = columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .joined(separator: ", ")
        return try await db.raw("""
            SELECT \(unsafeRaw: prefixed) FROM cases_cases c
            JOIN cases_participants p ON p.case_id = c.id
            WHERE p.user_id = \(bind: user) AND c.status <> 'closed'
            ORDER BY c.opened_at DESC LIMIT 1
            """).first().map(decode)
    }

    static func evidence(caseID: String, on db: any SQLDatabase) async throws -> [Evidence] {
        try await db.raw("""
            SELECT id, case_id, permalink, source_channel, message_ts, collected_by, collected_at
            FROM cases_evidence WHERE case_id = \(bind: caseID) ORDER BY collected_at, id
            """).all().map { row in
            Evidence(
                id: try row.decode(column: "id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
                permalink: try row.decode(column: "permalink", as: String.self),
                sourceChannel: try row.decode(column: "source_channel", as: String.self),
                messageTS: try row.decode(column: "message_ts", as: String.self),
                collectedBy: try row.decode(column: "collected_by", as: String.self),
                collectedAt: date(try row.decode(column: "collected_at", as: Int64.self)))
        }
    }

    // MARK: Writing

    static func insert(_ item: Case, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO cases_cases (id, name, title, status, channel_id, opened_by, opened_at, evidence_count, is_private)
            VALUES (\(bind: item.id), \(bind: item.name), \(bind: item.title), \(bind: item.status.rawValue),
                    \(bind: item.channelID), \(bind: item.openedBy), \(bind: millis(item.openedAt)), 0, \(bind: item.isPrivate ? 1 : 0))
            """).run()
    }

    /// Investigating → escalated, the escalating user becoming commander. Nil when the case was not
    /// investigating any more (someone else escalated first, or it is closed).
    /// Investigating → escalated, `user` commanding unless `leavingCommandOpen` (an alert escalated
    /// it; the first responder takes command).
    static func escalate(id: String, by user: String, at date: Date, leavingCommandOpen: Bool = false, on db: any SQLDatabase) async throws -> Case? {
        let commander: String? = leavingCommandOpen ? nil : user
        return try await db.raw("""
            UPDATE cases_cases SET status = 'escalated', escalated_by = \(bind: user), escalated_at = \(bind: millis(date)),
                commander = \(bind: commander)
            WHERE id = \(bind: id) AND status = 'investigating'
            RETURNING \(unsafeRaw: columns)
            """).first().map(decode)
    }

    /// Escalated → resolved. Nil when the case is not an unresolved incident.
    static func resolve(id: String, by user: String, at date: Date, on db: any SQLDatabase) async throws -> Case? {
        try await db.raw("""
            UPDATE cases_cases SET status = 'resolved', resolved_by = \(bind: user), resolved_at = \(bind: millis(date))
            WHERE id = \(bind: id) AND status = 'escalated'
            RETURNING \(unsafeRaw: columns)
            """).first().map(decode)
    }

    /// Hands command from `previous` to `user`. Nil when the case is no longer an open incident or
    /// command changed hands in the meantime.
    static func transfer(id: String, from previous: String?, to user: String, on db: any SQLDatabase) async throws -> Case? {
        let unchanged: SQLQueryString = previous.map { (current: String) -> SQLQueryString in "commander = \(bind: current)" } ?? "commander IS NULL"
        return try await db.raw("""
            UPDATE cases_cases SET commander = \(bind: user)
            WHERE id = \(bind: id) AND status IN ('escalated', 'resolved') AND \(unchanged)
            RETURNING \(unsafeRaw: columns)
            """).first().map(decode)
    }

    /// Closes the case. An unresolved incident is closed only with `evenIfUnresolved`.
    static func close(id: String, by user: String, at date: Date, evenIfUnresolved: Bool, on db: any SQLDatabase) async throws -> Case? {
        let allowed = evenIfUnresolved ? "('investigating', 'escalated', 'resolved')" : "('investigating', 'resolved')"
        return try await db.raw("""
            UPDATE cases_cases SET status = 'closed', closed_by = \(bind: user), closed_at = \(bind: millis(date))
            WHERE id = \(bind: id) AND status IN \(unsafeRaw: allowed)
            RETURNING \(unsafeRaw: columns)
            """).first().map(decode)
    }

    static func setMessages(id: String, summary: MessageRef?, notification: MessageRef?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE cases_cases SET summary_channel = \(bind: summary?.channel), summary_ts = \(bind: summary?.ts),
                notification_channel = \(bind: notification?.channel), notification_ts = \(bind: notification?.ts)
            WHERE id = \(bind: id)
            """).run()
    }

    /// Stores evidence and counts it on the case. False when this message was already collected
    /// for this case.
    static func addEvidence(_ evidence: Evidence, on db: any SQLDatabase) async throws -> Bool {
        let inserted = try await db.raw("""
            INSERT INTO cases_evidence (id, case_id, permalink, source_channel, message_ts, collected_by, collected_at)
            VALUES (\(bind: evidence.id), \(bind: evidence.caseID), \(bind: evidence.permalink), \(bind: evidence.sourceChannel),
                    \(bind: evidence.messageTS), \(bind: evidence.collectedBy), \(bind: millis(evidence.collectedAt)))
            ON CONFLICT (case_id, source_channel, message_ts) DO NOTHING
            RETURNING id
            """).first()
        guard inserted != nil else { return false }
        try await db.raw("UPDATE cases_cases SET evidence_count = evidence_count + 1 WHERE id = \(bind: evidence.caseID)").run()
        return true
    }

    static func addParticipants(caseID: String, users: [String], at date: Date, on db: any SQLDatabase) async throws {
        for user in Set(users) where !user.isEmpty {
            try await db.raw("""
                INSERT INTO cases_participants (case_id, user_id, joined_at)
                VALUES (\(bind: caseID), \(bind: user), \(bind: millis(date)))
                ON CONFLICT (case_id, user_id) DO NOTHING
                """).run()
        }
    }

    // MARK: Rows

    static func decode(_ row: any SQLRow) throws -> Case {
        func ref(_ channel: String, _ ts: String) throws -> MessageRef? {
            guard let channel = try row.decode(column: channel, as: String?.self),
                  let ts = try row.decode(column: ts, as: String?.self) else { return nil }
            return MessageRef(channel: channel, ts: ts)
        }
        let statusText = try row.decode(column: "status", as: String.self)
        return Case(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            status: Case.Status(rawValue: statusText) ?? .investigating,
            channelID: try row.decode(column: "channel_id", as: String.self),
            openedBy: try row.decode(column: "opened_by", as: String.self),
            openedAt: date(try row.decode(column: "opened_at", as: Int64.self)),
            escalatedBy: try row.decode(column: "escalated_by", as: String?.self),
            escalatedAt: try row.decode(column: "escalated_at", as: Int64?.self).map(date),
            commander: try row.decode(column: "commander", as: String?.self),
            resolvedBy: try row.decode(column: "resolved_by", as: String?.self),
            resolvedAt: try row.decode(column: "resolved_at", as: Int64?.self).map(date),
            closedBy: try row.decode(column: "closed_by", as: String?.self),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(date),
            evidenceCount: Int(try row.decode(column: "evidence_count", as: Int64.self)),
            summary: try ref("summary_channel", "summary_ts"),
            notification: try ref("notification_channel", "notification_ts"),
            isPrivate: try row.decode(column: "is_private", as: Int64.self) != 0)
    }

    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(_ millis: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}
