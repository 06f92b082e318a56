import CasebookKit

/// The SQL of `cases_side_effects`: which post-commit Slack steps of a case are done. A step is
/// recorded as soon as Slack confirmed it, and never twice (`ON CONFLICT DO NOTHING`).
enum SideEffectStore {
    static func done(caseID: String, on db: any SQLDatabase) async throws -> Set<String> {
        Set(try await db.raw("SELECT step FROM cases_side_effects WHERE case_id = \(bind: caseID)").all()
            .map { try $0.decode(column: "step", as: String.self) })
    }

    static func record(caseID: String, step: String, message: MessageRef?, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO cases_side_effects (case_id, step, channel, ts, done_at)
            VALUES (\(bind: caseID), \(bind: step), \(bind: message?.channel), \(bind: message?.ts), \(bind: CaseStore.millis(date)))
            ON CONFLICT (case_id, step) DO NOTHING
            """).run()
    }

    /// The summary's place, written alone so the notification's concurrent write cannot clear it.
    static func setSummary(caseID: String, _ ref: MessageRef, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE cases_cases SET summary_channel = \(bind: ref.channel), summary_ts = \(bind: ref.ts) WHERE id = \(bind: caseID)
            """).run()
    }

    static func setNotification(caseID: String, _ ref: MessageRef, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE cases_cases SET notification_channel = \(bind: ref.channel), notification_ts = \(bind: ref.ts) WHERE id = \(bind: caseID)
            """).run()
    }
}
