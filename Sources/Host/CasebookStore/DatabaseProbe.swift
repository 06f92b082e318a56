import CasebookKit
import SQLKit

extension Database {
    /// Asks the database a trivial question for readiness probes: nil when it answered within
    /// `timeout`, otherwise what went wrong in a few words (never the URL or its password).
    public func probe(timeout: Duration) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask { [self] in
                do {
                    try await withSession { sql in _ = try await sql.raw("SELECT 1").all() }
                    return nil
                } catch {
                    return "unreachable (\(Self.describe(error)))"
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : "no answer within \(timeout)"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
