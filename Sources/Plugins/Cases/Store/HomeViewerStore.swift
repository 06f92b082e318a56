import CasebookKit

/// Who opened the Home tab and when, so a case change republishes it only for people who look at it.
enum HomeViewerStore {
    static func record(_ user: String, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO cases_home_viewers (user_id, opened_at) VALUES (\(bind: user), \(bind: CaseStore.millis(date)))
            ON CONFLICT (user_id) DO UPDATE SET opened_at = excluded.opened_at
            """).run()
    }

    /// Forgets `user`; true if they had opened the Home tab.
    @discardableResult
    static func forget(_ user: String, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("DELETE FROM cases_home_viewers WHERE user_id = \(bind: user) RETURNING user_id").all().isEmpty
    }

    /// Forgets everyone who has not opened the Home tab since `cutoff`.
    static func forget(before cutoff: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM cases_home_viewers WHERE opened_at < \(bind: CaseStore.millis(cutoff))").run()
    }

    /// People who opened the Home tab since `cutoff`, most recent first, at most `limit`.
    static func viewers(since cutoff: Date, limit: Int, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT user_id FROM cases_home_viewers WHERE opened_at >= \(bind: CaseStore.millis(cutoff))
            ORDER BY opened_at DESC, user_id LIMIT \(literal: limit)
            """).all().map { try $0.decode(column: "user_id", as: String.self) }
    }

    /// The cases `user` took part in (opened, escalated, commanded, collected evidence for, was
    /// invited to or joined), closed ones included, newest first.
    static func recentCases(of user: String, limit: Int, on db: any SQLDatabase) async throws -> [Case] {
        let prefixed = CaseStore.columns.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .joined(separator: ", ")
        return try await db.raw("""
            SELECT \(unsafeRaw: prefixed) FROM cases_cases c
            JOIN cases_participants p ON p.case_id = c.id
            WHERE p.user_id = \(bind: user)
            ORDER BY c.opened_at DESC, c.id DESC LIMIT \(literal: limit)
            """).all().map(CaseStore.decode)
    }
}
