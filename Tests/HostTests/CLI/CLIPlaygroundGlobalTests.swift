import Foundation
import Testing

/// `:global <callback_id>` in the playground: the ⚡ menu's shortcuts, then `:submit`.
@Suite("casebook playground: global shortcuts")
struct CLIPlaygroundGlobalTests {
    @Test func startACaseAndPostAnUpdateFromTheShortcutMenu() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let input = """
                :global cases.start
                :submit description=Checkout-errors kind=incident
                :channels
                :global roles.post_update
                :global nope
                :quit

                """
            let outcome = try await CasebookProcess.run(
                ["playground", "--config", "plugins.yaml"], in: directory, stdin: input, timeout: .seconds(30))
            #expect(outcome.status == 0 && !outcome.signalled, "\(outcome)")
            let output = outcome.stdout
            #expect(output.contains("It's an incident already"), "\(outcome)")
            #expect(output.contains("(submitted)"), "\(outcome)")
            #expect(output.contains("#case-checkout"), "\(outcome)")
            #expect(output.contains("Case started") || output.contains("you are its commander"), "\(outcome)")
            #expect(output.contains("Affected components"), "the update modal lists the incident: \(outcome)")
        }
    }
}
