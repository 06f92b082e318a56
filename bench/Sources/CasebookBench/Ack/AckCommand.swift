import CasebookKit

/// The `/case` subcommand `ack` measures. `help` needs no storage (its reply is built from the
/// registrations); `list` and `status` read the Cases plugin's tables on every ack, which is what
/// issue #10 point 10 asks to see next to `help`.
enum AckCommand: String, CaseIterable, Sendable {
    case help, list, status

    /// The channel the command is run in: `status` needs a case channel, so it runs in `#alerts`,
    /// which ``OpenCaseSeeder`` makes the channel of the first seeded case.
    var channel: String { self == .status ? "alerts" : "general" }

    /// How the tables name what was measured.
    func label(openCases: Int) -> String {
        self == .help ? "`/case help`" : "`/case \(rawValue)` with \(openCases) open case\(openCases == 1 ? "" : "s")"
    }

    /// What the host's reply is, for the tables' notes.
    func replyNote(openCases: Int) -> String {
        switch self {
        case .help: return "the reply is the help text from the registrations"
        case .list: return "the reply lists the \(min(openCases, 45)) newest of \(openCases) open cases (two reads: the newest 45 and the count)"
        case .status: return "the reply is the status of the case in `#alerts` (the case by channel, its audit timeline, the other plugins' lines, its dead jobs)"
        }
    }

    /// Whether `reply` (the ack's payload) is this command's answer rather than an error. The
    /// first ack of a run is checked by this; later ones must equal it byte for byte.
    func accepts(_ reply: JSONValue?, openCases: Int) -> Bool {
        guard let text = reply?["text"]?.string else { return false }
        switch self {
        case .help: return text.utf8.contains("/case open".utf8)
        case .list: return text.hasPrefix("\(openCases) active case")
        case .status:
            guard let reply else { return false }
            return String(decoding: reply.encodedBytes(), as: UTF8.self).contains(OpenCaseSeeder.title(0))
        }
    }
}
