import CasebookKit
import CasebookStore
import CasebookTesting
import Testing
@testable import CasesPlugin

/// The plugin's SQL against real databases with the plugin's migrations: SQLite, and PostgreSQL
/// when `CASEBOOK_TEST_POSTGRES_URL` is set (always in CI).
@Suite struct CaseStoreTests {
    static let base = Date(timeIntervalSince1970: 1_750_000_000)

    static func withStorage(_ backend: TestDatabase.Backend, _ body: (any PluginStorage) async throws -> Void) async throws {
        try await TestDatabase.withMigrated(backend, plugins: [CasesPlugin.self]) { db in
            try await body(db.storage(plugin: CasesPlugin.id))
        }
    }

    static func insert(_ storage: any PluginStorage, id: String, openedAt: Date, status: Case.Status = .investigating) async throws {
        let item = Case(id: id, name: "case-\(id)", title: "Case \(id)", channelID: "C\(id)", openedBy: "U1", openedAt: openedAt)
        try await storage.transaction { tx in try await CaseStore.insert(item, on: tx.sql) }
    }

    @Test(arguments: TestDatabase.backends)
    func twoSimultaneousEscalationsProduceExactlyOne(_ backend: TestDatabase.Backend) async throws {
        try await Self.withStorage(backend) { storage in
            try await Self.insert(storage, id: "a", openedAt: Self.base)
            let winners = try await withThrowingTaskGroup(of: Case?.self) { group in
                for user in ["U1", "U2", "U3", "U4"] {
                    group.addTask {
                        try await storage.transaction { tx in try await CaseStore.escalate(id: "a", by: user, at: Self.base, on: tx.sql) }
                    }
                }
                return try await group.reduce(into: [Case]()) { if let item = $1 { $0.append(item) } }
            }
            #expect(winners.count == 1)
            let stored = try #require(try await storage.read { try await CaseStore.find(id: "a", on: $0) })
            #expect(stored.status == .escalated)
            #expect(stored.commander == winners.first?.escalatedBy)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func lifecycleUpdatesAreConditional(_ backend: TestDatabase.Backend) async throws {
        try await Self.withStorage(backend) { storage in
            try await Self.insert(storage, id: "b", openedAt: Self.base)
            try await storage.transaction { tx in
                #expect(try await CaseStore.resolve(id: "b", by: "U1", at: Self.base, on: tx.sql) == nil)  // not an incident
                #expect(try await CaseStore.escalate(id: "b", by: "U1", at: Self.base.addingTimeInterval(60), on: tx.sql) != nil)
                #expect(try await CaseStore.close(id: "b", by: "U1", at: Self.base, evenIfUnresolved: false, on: tx.sql) == nil)
                let moved = try await CaseStore.transfer(id: "b", from: "U1", to: "U2", on: tx.sql)
                #expect(moved?.commander == "U2")
                #expect(try await CaseStore.transfer(id: "b", from: "U1", to: "U3", on: tx.sql) == nil)  // stale "from"
                let resolved = try await CaseStore.resolve(id: "b", by: "U2", at: Self.base.addingTimeInterval(660), on: tx.sql)
                #expect(resolved?.timeToResolve == 600)
                let closed = try await CaseStore.close(id: "b", by: "U1", at: Self.base.addingTimeInterval(3600), evenIfUnresolved: false, on: tx.sql)
                #expect(closed?.status == .closed)
                #expect(try await CaseStore.close(id: "b", by: "U1", at: Self.base, evenIfUnresolved: true, on: tx.sql) == nil)
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func evidenceIsCountedOncePerMessageAndParticipantsPreselect(_ backend: TestDatabase.Backend) async throws {
        try await Self.withStorage(backend) { storage in
            try await Self.insert(storage, id: "old", openedAt: Self.base)
            try await Self.insert(storage, id: "new", openedAt: Self.base.addingTimeInterval(60))
            try await Self.insert(storage, id: "other", openedAt: Self.base.addingTimeInterval(120))
            try await storage.transaction { tx in
                let evidence = Evidence(
                    id: "e1", caseID: "old", permalink: "https://x.slack.com/archives/C9/p1", sourceChannel: "C9", messageTS: "1.1",
                    collectedBy: "U5", collectedAt: Self.base)
                #expect(try await CaseStore.addEvidence(evidence, on: tx.sql))
                var again = evidence
                again.id = "e2"
                #expect(try await !CaseStore.addEvidence(again, on: tx.sql))
                try await CaseStore.addParticipants(caseID: "old", users: ["U5"], at: Self.base, on: tx.sql)
                try await CaseStore.addParticipants(caseID: "new", users: ["U5", "U5"], at: Self.base, on: tx.sql)
            }
            let (old, latest, evidence) = try await storage.read { db in
                (try await CaseStore.find(id: "old", on: db), try await CaseStore.latestActiveCase(of: "U5", on: db),
                 try await CaseStore.evidence(caseID: "old", on: db))
            }
            #expect(old?.evidenceCount == 1)
            #expect(evidence.map(\.messageTS) == ["1.1"])
            #expect(latest?.id == "new")
        }
    }

    @Test(arguments: TestDatabase.backends)
    func statsAggregate(_ backend: TestDatabase.Backend) async throws {
        try await Self.withStorage(backend) { storage in
            let now = Self.base.addingTimeInterval(30 * 86_400)
            // Old, escalated, resolved after 1h, closed after 4h.
            try await Self.insert(storage, id: "1", openedAt: Self.base)
            // Last week: one open investigation (opened 2 days ago), one unresolved incident (opened 1h ago).
            try await Self.insert(storage, id: "2", openedAt: now.addingTimeInterval(-2 * 86_400))
            try await Self.insert(storage, id: "3", openedAt: now.addingTimeInterval(-3_600))
            // Closed without escalation after 2h, 10 days ago.
            try await Self.insert(storage, id: "4", openedAt: now.addingTimeInterval(-10 * 86_400))
            try await storage.transaction { tx in
                _ = try await CaseStore.escalate(id: "1", by: "U1", at: Self.base.addingTimeInterval(600), on: tx.sql)
                _ = try await CaseStore.resolve(id: "1", by: "U1", at: Self.base.addingTimeInterval(4_200), on: tx.sql)
                _ = try await CaseStore.close(id: "1", by: "U1", at: Self.base.addingTimeInterval(14_400), evenIfUnresolved: false, on: tx.sql)
                _ = try await CaseStore.escalate(id: "3", by: "U2", at: now.addingTimeInterval(-1_800), on: tx.sql)
                _ = try await CaseStore.close(id: "4", by: "U1", at: now.addingTimeInterval(-10 * 86_400 + 7_200), evenIfUnresolved: false, on: tx.sql)
            }
            let stats = try await storage.read { db in try await CaseStore.stats(now: now, on: db) }
            #expect(stats.totalCases == 4)
            #expect(stats.openInvestigations == 2)
            #expect(stats.openIncidents == 1)
            #expect(stats.everEscalated == 2)
            #expect(stats.openedLastWeek == 2)
            #expect(stats.escalatedLastWeek == 1)
            #expect(stats.timeSpentLastWeek == 2 * 86_400 + 3_600)
            #expect(stats.averageTimeToClose == 10_800.0)
            #expect(stats.meanTimeToResolve == 3_600.0)
            #expect(stats.escalationRate == 0.5)
        }
    }

    @Test(arguments: TestDatabase.backends)
    func exportPagesThroughEveryCaseInOrder(_ backend: TestDatabase.Backend) async throws {
        try await Self.withStorage(backend) { storage in
            // Several cases share an opening time, so the keyset must use the id as tie-breaker.
            for index in 0..<23 {
                try await Self.insert(storage, id: String(format: "%02d", index), openedAt: Self.base.addingTimeInterval(Double(index / 3)))
            }
            var chunks: [String] = []
            let count = try await CasesPlugin.exportCSV(storage: storage, pageSize: 5, now: Self.base) { chunks.append($0) }
            #expect(count == 23)
            #expect(chunks.count == 1 + 5)  // header + ceil(23 / 5) pages
            let lines = chunks.joined().split(separator: "\r\n").map(String.init)
            #expect(lines.first?.hasPrefix("name,title,status,channel,opened_by,opened_at,closed_by,closed_at,evidence_count") == true)
            #expect(lines.dropFirst().map { String($0.prefix { $0 != "," }) } == (0..<23).map { String(format: "case-%02d", $0) })
            var whole = ""
            try await CasesPlugin.exportCSV(storage: storage, now: Self.base) { whole += $0 }
            #expect(whole == chunks.joined())
        }
    }
}
