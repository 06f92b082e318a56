import CasebookKit
@testable import CasebookStore
import Foundation
import Testing

@Suite struct DatabaseURLTests {
    @Test func defaultIsSQLiteFileInWorkingDirectory() throws {
        #expect(try DatabaseURL.parse(nil, workingDirectory: "/srv/casebook") == .sqliteFile(path: "/srv/casebook/casebook.sqlite"))
        #expect(try DatabaseURL.parse("", workingDirectory: "/srv/casebook/") == .sqliteFile(path: "/srv/casebook/casebook.sqlite"))
    }

    @Test func sqliteForms() throws {
        #expect(try DatabaseURL.parse("sqlite:data/cb.sqlite", workingDirectory: "/w") == .sqliteFile(path: "/w/data/cb.sqlite"))
        #expect(try DatabaseURL.parse("sqlite:///var/lib/cb.sqlite", workingDirectory: "/w") == .sqliteFile(path: "/var/lib/cb.sqlite"))
        #expect(try DatabaseURL.parse("sqlite::memory:", workingDirectory: "/w") == .sqliteMemory)
        #expect(throws: StoreError.self) { try DatabaseURL.parse("sqlite://host/x", workingDirectory: "/w") }
        #expect(throws: StoreError.self) { try DatabaseURL.parse("sqlite:", workingDirectory: "/w") }
    }

    @Test func postgresForms() throws {
        let parsed = try DatabaseURL.parse("postgresql://cb:s%40cret@db.internal:6543/casebook?sslmode=require", workingDirectory: "/w")
        #expect(parsed == .postgres(PostgresLocation(
            host: "db.internal", port: 6543, username: "cb", password: "s@cret", database: "casebook", tls: .require
        )))
        let defaults = try DatabaseURL.parse("postgres://db.internal", workingDirectory: "/w")
        #expect(defaults == .postgres(PostgresLocation(
            host: "db.internal", port: 5432, username: "postgres", password: nil, database: "postgres", tls: .prefer
        )))
    }

    @Test func maskingHidesOnlyThePassword() {
        #expect(DatabaseURL.masked("postgres://cb:hunter2@db:5432/x") == "postgres://cb:***@db:5432/x")
        // Unencoded `/ ? # @` in a password do not end the credentials early.
        for password in ["pa/ss", "pa?ss", "pa#ss", "p@ss", "a/b?c#d@e"] {
            let masked = DatabaseURL.masked("postgres://cb:\(password)@db:5432/x")
            #expect(masked == "postgres://cb:***@db:5432/x", "\(password) → \(masked)")
        }
        #expect(DatabaseURL.masked("postgres://cb@db/x") == "postgres://cb@db/x")
        #expect(DatabaseURL.masked("sqlite:/tmp/x") == "sqlite:/tmp/x")
    }

    @Test func badURLsGiveOneMaskedLine() throws {
        for url in ["mysql://root:hunter2@db/x", "postgres://cb:hunter2@db/x?sslmode=sometimes", "postgres://cb:hunter2@/x"] {
            let error = try #require(throws: StoreError.self) { try DatabaseURL.parse(url, workingDirectory: "/w") }
            let line = error.description
            #expect(!line.contains("hunter2"))
            #expect(line.contains("cb:***@") || line.contains("root:***@"))
            #expect(!line.contains("\n"))
        }
    }

    @Test func unreachablePostgresNamesMaskedURL() async throws {
        // Port 1 on loopback: nothing listens there.
        let error = try await #require(throws: StoreError.self) {
            _ = try await Database.open(url: "postgres://cb:hunter2@127.0.0.1:1/casebook?sslmode=disable", logger: testLogger)
        }
        let line = error.description
        #expect(line.hasPrefix("cannot open database 'postgres://cb:***@127.0.0.1:1/casebook?sslmode=disable': "))
        #expect(!line.contains("hunter2"))
        #expect(!line.contains("\n"))
    }

    @Test func unopenableSQLiteFileIsOneLine() async throws {
        let error = try await #require(throws: StoreError.self) {
            _ = try await Database.open(url: "sqlite:///nonexistent-dir-\(UUID().uuidString)/x.sqlite", logger: testLogger)
        }
        #expect(error.description.hasPrefix("cannot open database 'sqlite:///nonexistent-dir-"))
        #expect(!error.description.contains("\n"))
    }

    @Test func defaultFileIsCreatedInWALMode() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-wal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let mode = try await Database.withDatabase(url: nil, workingDirectory: directory.path, logger: testLogger) { db async throws in
            try await db.storage(plugin: "t").read { sql in
                try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
            }
        }
        #expect(mode == "wal")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("casebook.sqlite").path))
    }
}
