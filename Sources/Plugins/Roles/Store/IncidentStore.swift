import CasebookKit

/// The SQL of the plugin's tables; each function takes the handle it runs on (a read or `tx.sql`).
enum IncidentStore {
    static let columns = """
        case_id, channel_id, severity, status, panel_channel, panel_ts, digest_channel, digest_ts, created_at, \
        last_update_by, last_update_at, last_update_impact, last_update_components, last_update_text, silenced, \
        silenced_until, next_reminder_at, rca_channel
        """

    static func find(caseID: String, on db: any SQLDatabase) async throws -> Incident? {
        guard var incident = try await db.raw("SELECT \(unsafeRaw: columns) FROM roles_incidents WHERE case_id = \(bind: caseID)")
            .first().map(decode)
        else { return nil }
        let rows = try await db.raw("SELECT role, user_id FROM roles_assignments WHERE case_id = \(bind: caseID)").all()
        for row in rows {
            incident.assignments[try row.decode(column: "role", as: String.self)] = try row.decode(column: "user_id", as: String.self)
        }
        return incident
    }

    /// The severity ids of these cases' incidents, by case id (cases without incident state are left out).
    static func severities(caseIDs: [String], on db: any SQLDatabase) async throws -> [String: String] {
        let rows = try await db.raw("SELECT case_id, severity FROM roles_incidents WHERE case_id IN (\(binds: caseIDs))").all()
        var severities: [String: String] = [:]
        for row in rows { severities[try row.decode(column: "case_id", as: String.self)] = try row.decode(column: "severity", as: String.self) }
        return severities
    }

    /// Creates the incident's row unless it exists; returns whether this call created it.
    static func insertIfAbsent(caseID: String, channelID: String, severity: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw("""
            INSERT INTO roles_incidents (case_id, channel_id, severity, status, created_at, silenced)
            VALUES (\(bind: caseID), \(bind: channelID), \(bind: severity), \(bind: IncidentStatus.investigating.rawValue), \(bind: millis(now)), 0)
            ON CONFLICT (case_id) DO NOTHING
            RETURNING case_id
            """).all()
        return !rows.isEmpty
    }

    /// Changes the severity if it is still `from`; false when someone changed it first.
    static func setSeverity(caseID: String, from: String, to: String, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE roles_incidents SET severity = \(bind: to) WHERE case_id = \(bind: caseID) AND severity = \(bind: from) RETURNING case_id
            """).all().isEmpty
    }

    static func setStatus(caseID: String, from: IncidentStatus, to: IncidentStatus, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE roles_incidents SET status = \(bind: to.rawValue)
            WHERE case_id = \(bind: caseID) AND status = \(bind: from.rawValue) RETURNING case_id
            """).all().isEmpty
    }

    static func assign(caseID: String, role: String, user: String, by actor: String, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO roles_assignments (case_id, role, user_id, assigned_by, assigned_at)
            VALUES (\(bind: caseID), \(bind: role), \(bind: user), \(bind: actor), \(bind: millis(now)))
            ON CONFLICT (case_id, role) DO UPDATE SET user_id = excluded.user_id, assigned_by = excluded.assigned_by,
                assigned_at = excluded.assigned_at
            """).run()
    }

    static func recordUpdate(caseID: String, _ update: PostedUpdate, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE roles_incidents SET last_update_by = \(bind: update.author), last_update_at = \(bind: millis(update.at)),
                last_update_impact = \(bind: update.impact), last_update_components = \(bind: update.components),
                last_update_text = \(bind: update.text)
            WHERE case_id = \(bind: caseID)
            """).run()
    }

    static func setSilence(caseID: String, silenced: Bool, until: Date?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE roles_incidents SET silenced = \(bind: silenced ? 1 : 0), silenced_until = \(bind: until.map(millis))
            WHERE case_id = \(bind: caseID)
            """).run()
    }

    static func setNextReminder(caseID: String, _ date: Date?, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE roles_incidents SET next_reminder_at = \(bind: date.map(millis)) WHERE case_id = \(bind: caseID)").run()
    }

    /// Remembers a posted message unless one is already remembered (`slot` is `panel` or `digest`);
    /// false when another writer got there first. With `replacing`, swaps a deleted message's ts.
    static func storeMessage(_ slot: MessageSlot, caseID: String, _ ref: MessageRef, replacing old: String?, on db: any SQLDatabase) async throws -> Bool {
        let column = slot.rawValue
        if let old {
            return try await !db.raw("""
                UPDATE roles_incidents SET \(unsafeRaw: column)_channel = \(bind: ref.channel), \(unsafeRaw: column)_ts = \(bind: ref.ts)
                WHERE case_id = \(bind: caseID) AND \(unsafeRaw: column)_ts = \(bind: old) RETURNING case_id
                """).all().isEmpty
        }
        return try await !db.raw("""
            UPDATE roles_incidents SET \(unsafeRaw: column)_channel = \(bind: ref.channel), \(unsafeRaw: column)_ts = \(bind: ref.ts)
            WHERE case_id = \(bind: caseID) AND \(unsafeRaw: column)_ts IS NULL RETURNING case_id
            """).all().isEmpty
    }

    enum MessageSlot: String { case panel, digest }

    static func setRCAChannel(caseID: String, _ channel: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE roles_incidents SET rca_channel = \(bind: channel) WHERE case_id = \(bind: caseID)").run()
    }

    static func decode(_ row: any SQLRow) throws -> Incident {
        func ref(_ slot: String) throws -> MessageRef? {
            guard let channel = try row.decode(column: "\(slot)_channel", as: String?.self),
                  let ts = try row.decode(column: "\(slot)_ts", as: String?.self)
            else { return nil }
            return MessageRef(channel: channel, ts: ts)
        }
        var update: PostedUpdate?
        if let author = try row.decode(column: "last_update_by", as: String?.self),
           let at = try row.decode(column: "last_update_at", as: Int64?.self) {
            update = PostedUpdate(
                author: author, at: date(at), impact: try row.decode(column: "last_update_impact", as: String?.self) ?? "",
                components: try row.decode(column: "last_update_components", as: String?.self),
                text: try row.decode(column: "last_update_text", as: String?.self) ?? "")
        }
        return Incident(
            caseID: try row.decode(column: "case_id", as: String.self),
            channelID: try row.decode(column: "channel_id", as: String.self),
            severity: try row.decode(column: "severity", as: String.self),
            status: IncidentStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .investigating,
            panel: try ref("panel"), digest: try ref("digest"),
            createdAt: date(try row.decode(column: "created_at", as: Int64.self)),
            lastUpdate: update,
            silenced: try row.decode(column: "silenced", as: Int64.self) != 0,
            silencedUntil: try row.decode(column: "silenced_until", as: Int64?.self).map(date),
            nextReminderAt: try row.decode(column: "next_reminder_at", as: Int64?.self).map(date),
            rcaChannel: try row.decode(column: "rca_channel", as: String?.self))
    }
}

func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: TimeInterval(millis) / 1000) }
