import Foundation
import Testing

/// `casebook serve` with a bad environment: one line naming the variable, a non-zero exit, no
/// backtrace, and never a token's value.
@Suite("casebook serve: environment errors")
struct CLIEnvironmentTests {
    static let botToken = "xoxb-1111-2222-BOTSECRETVALUE"
    static let appToken = "xapp-1-A0-3333-APPSECRETVALUE"
    static let userToken = "xoxp-4444-5555-USERSECRETVALUE"

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let environment: [String: String]
        /// Words the one line must contain.
        let mentions: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "SLACK_BOT_TOKEN missing", environment: ["SLACK_APP_TOKEN": appToken], mentions: ["SLACK_BOT_TOKEN"]),
        Case(
            name: "SLACK_BOT_TOKEN is a user token", environment: ["SLACK_BOT_TOKEN": userToken, "SLACK_APP_TOKEN": appToken],
            mentions: ["SLACK_BOT_TOKEN", "xoxb-"]),
        Case(
            name: "neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET", environment: ["SLACK_BOT_TOKEN": botToken],
            mentions: ["SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"]),
        Case(
            name: "PORT=abc", environment: ["SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": appToken, "PORT": "abc"],
            mentions: ["PORT", "abc"]),
        Case(
            name: "LOG_FORMAT=xml", environment: ["SLACK_BOT_TOKEN": botToken, "SLACK_APP_TOKEN": appToken, "LOG_FORMAT": "xml"],
            mentions: ["LOG_FORMAT", "xml"]),
    ]

    @Test(arguments: cases)
    func aBadVariableIsOneLineAndNoSecret(_ example: Case) async throws {
        try await TemporaryDirectory.with { directory in
            // A database URL in the temp directory, so nothing could be created beside the tests even if serve went on.
            var environment = example.environment
            environment["DATABASE_URL"] = "sqlite:\(directory.file("casebook.sqlite"))"
            let outcome = try await CasebookProcess.run(["serve"], environment: environment, in: directory)
            #expect(outcome.status != 0 && !outcome.signalled, "\(outcome)")
            #expect(outcome.stdout.isEmpty, "\(outcome)")
            let lines = outcome.stderrLines
            #expect(lines.count == 1, "expected exactly one line on stderr: \(outcome)")
            let line = lines.first ?? ""
            for word in example.mentions {
                #expect(line.contains(word), "'\(line)' does not mention \(word)")
            }
            for marker in ["Backtrace", "Fatal error", "Crash", "at /", "Thread 0"] {
                #expect(!outcome.stderr.contains(marker), "stderr looks like a crash report: \(outcome)")
            }
            // No token, nor the secret part of one, ever reaches the terminal.
            for token in [Self.botToken, Self.appToken, Self.userToken] {
                let secret = String(token.split(separator: "-").last ?? "")
                #expect(!outcome.stderr.contains(secret) && !outcome.stdout.contains(secret), "a token leaked: \(outcome)")
            }
            // Nothing was started: no database file appeared.
            #expect(!FileManager.default.fileExists(atPath: directory.file("casebook.sqlite")))
        }
    }
}
