import CasebookKit
import CasesPlugin

/// Writes many cases straight into the Cases plugin's table (`cases_cases`, see
/// Sources/Plugins/Cases/Store/Schema.swift) in multi-row inserts: a year of history in a mix of
/// states, so stats and export see every kind of row.
enum CaseSeeder {
    static let columns = [
        "id", "name", "title", "status", "channel_id", "opened_by", "opened_at", "escalated_by", "escalated_at", "commander",
        "resolved_by", "resolved_at", "closed_by", "closed_at", "evidence_count",
    ]
    /// 15 columns × 500 rows stays under SQLite's 32,766 bound parameters.
    static let rowsPerStatement = 500
    static let statementsPerTransaction = 20

    static func seed(_ count: Int, storage: any PluginStorage, now: Date = Date()) async throws {
        let nowMillis = Int64(now.timeIntervalSince1970 * 1000)
        let year: Int64 = 365 * 86_400_000
        var start = 0
        while start < count {
            let end = min(start + rowsPerStatement * statementsPerTransaction, count)
            let first = start
            try await storage.transaction { tx in
                for chunk in stride(from: first, to: end, by: rowsPerStatement) {
                    var insert = tx.sql.insert(into: "cases_cases").columns(columns)
                    for index in chunk..<min(chunk + rowsPerStatement, end) {
                        insert = insert.values(row(index, count: count, nowMillis: nowMillis, span: year))
                    }
                    try await insert.run()
                }
            }
            start = end
        }
    }

    /// Case `index` of `count`, opened evenly over `span` before now: 70 % closed, 10 % resolved
    /// incidents, 10 % open incidents, 10 % open investigations; every fourth case was escalated.
    static func row(_ index: Int, count: Int, nowMillis: Int64, span: Int64) -> [any SQLExpression] {
        let opened = nowMillis - span + span * Int64(index) / Int64(max(count, 1))
        let hour: Int64 = 3_600_000
        let user = ["U0ALICE", "U0BOB", "U0CAROL"][index % 3]
        let kind = index % 10
        let escalated = kind == 7 || kind == 8 || (kind < 7 && index % 4 == 0)
        let resolved = kind == 7 || (escalated && kind < 7)
        let closed = kind < 7
        let status = closed ? "closed" : kind == 7 ? "resolved" : kind == 8 ? "escalated" : "investigating"
        func text(_ value: String?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
        func time(_ value: Int64?) -> any SQLExpression { value.map { SQLBind($0) } ?? SQLLiteral.null }
        let name = "case-bench-\(index)"
        func uuid(_ number: Int) -> String {
            let digits = String(number)
            return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        }
        return [
            SQLBind(uuid(index)), SQLBind(name),
            SQLBind("Benchmark case \(index): API response times increasing"), SQLBind(status), SQLBind("CB\(index)"),
            SQLBind(user), SQLBind(opened),
            text(escalated ? user : nil), time(escalated ? opened + hour : nil), text(escalated ? user : nil),
            text(resolved ? user : nil), time(resolved ? opened + 3 * hour : nil),
            text(closed ? user : nil), time(closed ? opened + 5 * hour : nil), SQLBind(Int64(index % 5)),
        ]
    }
}
