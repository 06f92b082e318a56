import Foundation
import Testing

/// `casebook check-config`: exit 0 on a valid file; every problem at once, compiler style, exit 1.
@Suite("casebook check-config")
struct CLICheckConfigTests {
    static let environment = ["ISSUES_CHANNEL_ID": "C0INCIDENTS", "DIGEST_CHANNEL_ID": "C0INCIDENTS"]

    @Test func theRepositoryConfigurationIsValid() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let outcome = try await CasebookProcess.run(
                ["check-config", "--config", "plugins.yaml"], environment: Self.environment, in: directory)
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stdout.hasPrefix("plugins.yaml: OK"), "\(outcome)")
            #expect(outcome.stdout.contains("cases"), "\(outcome)")
            #expect(outcome.stderr.isEmpty, "\(outcome)")
        }
    }

    @Test func everyProblemIsPrintedWithItsPlace() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.write("broken.yaml", """
                host:
                  slash_comand: /case
                  sockets: many
                plugins:
                  cases:
                    enabled: true
                    config:
                      notifications_channel: C0INCIDENTS
                  jira:
                    enabled: true
                """)
            let outcome = try await CasebookProcess.run(["check-config", "--config", "broken.yaml"], in: directory)
            #expect(outcome.status == 1, "\(outcome)")
            #expect(outcome.stdout.isEmpty, "\(outcome)")
            let lines = outcome.stderrLines
            // In file order, each starting `file:line:column: key.path: ` so an editor can jump to it.
            let expected: [(prefix: String, says: [String])] = [
                ("broken.yaml:2:3: host.slash_comand: ", ["unknown key", "did you mean 'slash_command'?"]),
                ("broken.yaml:3:12: host.sockets: ", ["expected a whole number", "found a string"]),
                ("broken.yaml:9:3: plugins.jira: ", ["unknown plugin 'jira'", "cases"]),
            ]
            #expect(lines.count == expected.count, "\(outcome)")
            for (line, problem) in zip(lines, expected) {
                #expect(line.hasPrefix(problem.prefix), "'\(line)' should start with '\(problem.prefix)'")
                for phrase in problem.says {
                    #expect(line.contains(phrase), "'\(line)' should say \(phrase)")
                }
            }
        }
    }

    @Test func aMissingFileIsNamed() async throws {
        try await TemporaryDirectory.with { directory in
            let outcome = try await CasebookProcess.run(["check-config", "--config", "nowhere.yaml"], in: directory)
            #expect(outcome.status == 1, "\(outcome)")
            #expect(outcome.stderrLines.count == 1, "\(outcome)")
            let line = outcome.stderrLines.first ?? ""
            #expect(line.hasPrefix("nowhere.yaml: "), "\(outcome)")
            #expect(line.contains("not found"), "\(outcome)")
            #expect(line.contains("--config"), "\(outcome)")
        }
    }

    @Test func anUnsetVariableInTheFileIsAProblemToo() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            var environment = Self.environment
            environment["ISSUES_CHANNEL_ID"] = nil
            let outcome = try await CasebookProcess.run(["check-config"], environment: environment, in: directory)
            #expect(outcome.status == 1, "\(outcome)")
            #expect(outcome.stderrLines.count == 1, "\(outcome)")
            let line = outcome.stderrLines.first ?? ""
            #expect(line.hasPrefix("plugins.yaml:"), "\(outcome)")
            #expect(line.contains("plugins.cases.config.notifications_channel"), "\(outcome)")
            #expect(line.contains("ISSUES_CHANNEL_ID"), "\(outcome)")
        }
    }
}
