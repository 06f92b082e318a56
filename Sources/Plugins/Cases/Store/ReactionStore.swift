import CasebookKit

/// The SQL of `cases_reactions`: people who reacted to a message with `react_to_open`'s emoji,
/// until each has been told where the message's case is.
enum ReactionStore {
    /// Records a reaction; a repeat (removed and added again) asks for a new answer.
    static func record(channel: String, ts: String, user: String, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO cases_reactions (channel_id, message_ts, user_id, reacted_at, answered_at)
            VALUES (\(bind: channel), \(bind: ts), \(bind: user), \(bind: CaseStore.millis(date)), NULL)
            ON CONFLICT (channel_id, message_ts, user_id) DO UPDATE SET reacted_at = excluded.reacted_at, answered_at = NULL
            """).run()
    }

    /// A reaction waiting for its answer.
    struct Pending: Sendable, Equatable {
        var user: String
        /// Epoch milliseconds, so an answer marks exactly this reaction and not a newer repeat.
        var reactedAt: Int64
    }

    /// Who reacted to the message and has not been answered yet, first reactor first.
    static func unanswered(channel: String, ts: String, on db: any SQLDatabase) async throws -> [Pending] {
        try await db.raw("""
            SELECT user_id, reacted_at FROM cases_reactions
            WHERE channel_id = \(bind: channel) AND message_ts = \(bind: ts) AND answered_at IS NULL
            ORDER BY reacted_at, user_id
            """).all().map { row in
            Pending(user: try row.decode(column: "user_id", as: String.self), reactedAt: try row.decode(column: "reacted_at", as: Int64.self))
        }
    }

    static func markAnswered(channel: String, ts: String, _ reaction: Pending, at date: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE cases_reactions SET answered_at = \(bind: CaseStore.millis(date))
            WHERE channel_id = \(bind: channel) AND message_ts = \(bind: ts) AND user_id = \(bind: reaction.user)
              AND reacted_at = \(bind: reaction.reactedAt)
            """).run()
    }
}
