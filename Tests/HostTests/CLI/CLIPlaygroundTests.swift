import Foundation
import Testing

/// `casebook playground` with commands piped on standard input, as a README walkthrough or a
/// script would run it.
@Suite("casebook playground")
struct CLIPlaygroundTests {
    @Test func integrationsRunAgainstTheirFakesAndCallsShowsWhatTheyReceived() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let input = """
                /case open Checkout errors
                :open #case-checkout
                /case incident
                :calls pagerduty
                /case oncall
                :calls pagerduty-api
                :quit

                """
            let outcome = try await CasebookProcess.run(
                ["playground", "--config", "plugins.yaml"], in: directory, stdin: input, timeout: .seconds(30))
            #expect(outcome.status == 0 && !outcome.signalled, "\(outcome)")
            let output = outcome.stdout
            #expect(output.contains("Integrations run against built-in fakes: pagerduty"), "\(outcome)")
            #expect(output.contains("pagerduty: 1 call(s)"), "\(outcome)")
            #expect(output.contains("POST /v2/enqueue · trigger"), "\(outcome)")
            #expect(output.contains("severity=info"), "\(outcome)")
            #expect(output.contains("GET /oncalls"), "\(outcome)")
        }
    }

    @Test func alertPostsASignedOnCallWebhookThatOpensAndResolvesACase() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let input = """
                :alert firing Checkout down
                :alert firing Checkout down
                :channels
                :alert resolved Checkout down
                :open #case-checkout
                :quit

                """
            let outcome = try await CasebookProcess.run(
                ["playground", "--config", "plugins.yaml"], in: directory, stdin: input, timeout: .seconds(30))
            #expect(outcome.status == 0 && !outcome.signalled, "\(outcome)")
            let output = outcome.stdout
            #expect(output.contains("POST /hooks/alerts/grafana-oncall (firing, \"Checkout down\") → 202"), "\(outcome)")
            #expect(output.contains("POST /hooks/alerts/grafana-oncall (resolved, \"Checkout down\") → 202"), "\(outcome)")
            let channels = try #require(section(of: output, after: "> :channels"), "\(outcome)")
            #expect(channels.filter { $0.hasPrefix("#case-checkout-") }.count == 1, "\(channels)")
            #expect(output.contains("Alert resolved in Grafana OnCall by alice"), "\(outcome)")
        }
    }

    @Test func pipedCommandsRunAndTheSessionEndsWithBye() async throws {
        try await TemporaryDirectory.with { directory in
            try directory.copyRepositoryConfiguration()
            let input = """
                /case help
                /case open API latency up
                :channels
                :open #incidents
                :as bob
                :quit

                """
            let outcome = try await CasebookProcess.run(
                ["playground", "--config", "plugins.yaml"], in: directory, stdin: input, timeout: .seconds(20))
            // `:quit` ends the process promptly (a pooled Web API connection once held it for 60 s).
            #expect(outcome.status == 0 && !outcome.signalled, "\(outcome)")
            let output = outcome.stdout

            // Each piped line is echoed, so the transcript reads like a session.
            #expect(output.contains("> /case open API latency up"), "\(outcome)")
            // The help lists Casebook's subcommands.
            #expect(output.contains("/case open [--private] <description>"), "the playground allows private cases: \(outcome)")
            #expect(output.contains("/case help"), "\(outcome)")
            // The open is answered to alice only, naming a new channel.
            #expect(output.contains("Opened #case-"), "\(outcome)")
            // :channels lists the case's channel with its topic.
            let channels = try #require(section(of: output, after: "> :channels"), "\(outcome)")
            #expect(channels.contains { $0.hasPrefix("#case-api-latency-") && $0.contains("API latency up") }, "\(channels)")
            // #incidents shows the notification.
            let incidents = try #require(section(of: output, after: "> :open #incidents"), "\(outcome)")
            #expect(incidents.first == "── #incidents as @alice ──", "\(incidents)")
            #expect(incidents.contains { $0.contains("New investigation") && $0.contains("API latency up") }, "\(incidents)")
            #expect(output.contains("You are now Bob"), "\(outcome)")
            #expect(outcome.stdoutLines.last == "bye", "\(outcome)")
            // Nothing went wrong along the way.
            #expect(!output.contains("\n! "), "\(outcome)")
        }
    }

    @Test func aMissingConfigurationIsOneLine() async throws {
        try await TemporaryDirectory.with { directory in
            let outcome = try await CasebookProcess.run(["playground", "--config", "absent.yaml"], in: directory, stdin: ":quit\n")
            #expect(outcome.status == 1, "\(outcome)")
            #expect(outcome.stderrLines.count == 1, "\(outcome)")
            #expect(outcome.stderr.contains("absent.yaml"), "\(outcome)")
        }
    }

    /// The lines printed after the echoed `marker` line, up to the next echoed input line.
    func section(of output: String, after marker: String) -> [String]? {
        let lines = output.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: marker) else { return nil }
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("> ") })
    }
}
