import CasebookKit
import CasebookStore
import CasesPlugin
import Foundation

/// Writes open cases straight into the Cases plugin's table of a running `casebook serve`'s
/// SQLite file, so `ack` can measure `/case list` and `/case status` against real rows without
/// `/case open`'s Slack round trips (and its pacing of `conversations.create`, ~20 a minute).
///
/// Runs after the child is ready (its migrations made the table); SQLite's busy timeout
/// serialises this process's transaction with the child's. The first case's channel is
/// `#alerts` (`C0ALERTS`) of the simulator's workspace, where `/case status` is run.
enum OpenCaseSeeder {
    static let statusChannelID = "C0ALERTS"

    static func title(_ index: Int) -> String { "Ack benchmark case \(index): API response times increasing" }

    static func seed(_ count: Int, sqlitePath: String) async throws {
        guard count > 0 else { return }
        var logger = Logger(label: "casebook.bench")
        logger.logLevel = .error
        // Ten days and half an hour old: the replies show the age in days and hours, so they stay
        // byte-identical for the next half hour and the load generator can compare them cheaply.
        let opened = Int64((Date().timeIntervalSince1970 - 10 * 86_400 - 1_800) * 1000)
        try await Database.withDatabase(url: "sqlite:\(sqlitePath)", logger: logger) { database in
            try await database.storage(plugin: CasesPlugin.id).transaction { tx in
                var insert = tx.sql.insert(into: "cases_cases").columns(["id", "name", "title", "status", "channel_id", "opened_by", "opened_at"])
                for index in 0..<count {
                    let digits = String(index)
                    let id = "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
                    insert = insert.values([
                        SQLBind(id), SQLBind("case-ack-\(index)"), SQLBind(title(index)), SQLBind("investigating"),
                        SQLBind(index == 0 ? statusChannelID : "CACK\(index)"), SQLBind("U0ALICE"), SQLBind(opened),
                    ])
                }
                try await insert.run()
            }
        }
    }
}
