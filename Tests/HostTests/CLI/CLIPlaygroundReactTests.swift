import Foundation
import Testing

/// `:react <emoji> <M>` in the playground: react-to-create with the shipped plugins.yaml, whose
/// `react_to_open` the playground switches on with `REACT_TO_OPEN_EMOJI=rotating_light`.
@Suite("casebook playground: reactions")
struct CLIPlaygroundReactTests {
    @Test func aReactionOnAMessageOpensACaseAndSaysWhereOnlyToTheReactor() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let input = """
                :open #alerts
                :say CPU at 99% on db-1
                :react rotating_light 1
                :as bob
                :open #general
                :say hello
                :react rotating_light 1
                :react fire
                :channels
                :quit

                """
            let outcome = try await CasebookProcess.run(
                ["playground", "--config", "plugins.yaml"], in: directory, stdin: input, timeout: .seconds(30))
            #expect(outcome.status == 0 && !outcome.signalled, "\(outcome)")
            let output = outcome.stdout
            #expect(output.contains("(reacted :rotating_light:)"), "\(outcome)")
            #expect(output.contains("(only you see this) 🔍 Opened #case-alerts-mess"), "\(outcome)")
            #expect(output.contains("Slack sends Casebook nothing: its bot is not in #general."), "\(outcome)")
            #expect(output.contains("usage: :react <emoji> <message number>"), "\(outcome)")
            #expect(output.components(separatedBy: "#case-alerts-mess").count >= 3, "the answer and :channels: \(outcome)")
        }
    }
}
