import CasebookHost
import CasebookKit
import CasebookTesting
import Foundation
import SlackSimulator
import Synchronization
import Testing

/// Random and malformed input, from a fixed seed, in bounded numbers (#17 point 7): envelopes,
/// slash command texts, view submissions and `plugins.yaml` documents. The host must neither crash
/// nor hang, and must answer every delivery within Slack's deadline.
@Suite("Hostile input, fuzzed")
struct HostileInputFuzzTests {
    /// The end-to-end configuration, without a rate limit in the way and with a short `slow`.
    static let config = EndToEndTests.config
        .replacingOccurrences(of: "per_user: 5", with: "per_user: 10000")
        .replacingOccurrences(of: "slow_milliseconds: 2500", with: "slow_milliseconds: 50")

    // MARK: plugins.yaml

    @Test func hostileConfigurationDocumentsAreRefusedWithAPlaceNotACrashOrAHang() throws {
        // Nine anchors of nine aliases each: 387 million values if expanded.
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            bomb += "a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
        }
        let specials: [(name: String, yaml: String, refusal: String?)] = [
            ("billion laughs", bomb, "expands to more than"),
            ("billion laughs inside a plugin's config", Self.config + "\n" + bomb.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"),
             "expands to more than"),
            // Refused by Casebook's bound (100 levels) or libyaml's own (1,000), with a place either way.
            ("deep flow nesting", String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000), "nest"),
            ("deep flow mappings", String(repeating: "{a: ", count: 20_000) + "1" + String(repeating: "}", count: 20_000), "nest"),
            ("flow nesting deeper than Casebook allows", String(repeating: "[", count: 500) + String(repeating: "]", count: 500), "nested more than 100"),
            ("deep block sequences", String(repeating: "- ", count: 20_000) + "x", "nest"),
            ("deep indentation", (0..<3_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x", "nest"),
            ("self alias", "a: &a [*a]\n", nil),
            ("merge of an undefined anchor", "host:\n  <<: *nothing\n", nil),
            ("NUL and control characters", "host:\n  app_name: \"\u{0}\u{1}\u{7}\"\n\u{0}", nil),
            ("a byte order mark and tabs", "\u{FEFF}host:\n\tapp_name: x\n", nil),
            ("a one-megabyte scalar", "host:\n  app_name: " + String(repeating: "x", count: 1 << 20) + "\n", nil),
            ("ten thousand keys", "host:\n" + (0..<10_000).map { "  k\($0): \($0)" }.joined(separator: "\n"), nil),
            ("a document stream", "---\nhost: {}\n---\nplugins: {}\n", nil),
            ("tags", "host: !!binary aGVsbG8=\nplugins: !<tag:yaml.org,2002:js/function> x\n", nil),
        ]
        for special in specials {
            let outcome = try Self.loadBounded(special.yaml)
            switch outcome {
            case .loaded:
                #expect(special.refusal == nil, "\(special.name) was accepted")
            case .refused(let problems):
                #expect(!problems.isEmpty && problems.allSatisfy { !$0.message.isEmpty }, "\(special.name)")
                if let refusal = special.refusal {
                    #expect(problems.contains { $0.message.contains(refusal) && $0.line >= 1 }, "\(special.name): \(problems.map(\.description))")
                }
            }
        }

        var random = SeededRandom(seed: 0x17_0007)
        let alphabet = Array(":{}[]&*!|>'\"#%@`\t\n-? ,\\xyz0é\u{0}\u{202E}")
        let seed = Array(Self.config)
        for _ in 0..<150 {
            var text = seed
            for _ in 0..<random.next(upTo: 6) + 1 {
                let position = random.next(upTo: text.count + 1)
                switch random.next(upTo: 4) {
                case 0: text.insert(alphabet[random.next(upTo: alphabet.count)], at: position)
                case 1: if position < text.count { text.remove(at: position) }
                case 2: text = Array(text.prefix(position))
                default:
                    let start = random.next(upTo: text.count)
                    text.insert(contentsOf: text[start..<min(text.count, start + random.next(upTo: 40))], at: min(position, text.count))
                }
            }
            if case .refused(let problems) = try Self.loadBounded(String(text)) {
                #expect(!problems.isEmpty && problems.allSatisfy { !$0.message.isEmpty && $0.line >= 0 })
            }
        }
    }

    enum LoadOutcome: Sendable {
        case loaded
        case refused([ConfigProblem])
    }

    /// Loads on a thread of its own and fails the test (instead of hanging it) after 20 s.
    static func loadBounded(_ yaml: String) throws -> LoadOutcome {
        final class Result: Sendable {
            let outcome = Mutex<LoadOutcome?>(nil)
            let done = DispatchSemaphore(value: 0)
        }
        let result = Result()
        let thread = Thread {
            do {
                _ = try ConfigurationLoader.load(yaml: yaml, environment: [:], available: [ProbePlugin.self])
                result.outcome.withLock { $0 = .loaded }
            } catch let error as ConfigurationErrors {
                result.outcome.withLock { $0 = .refused(error.problems) }
            } catch {
                result.outcome.withLock { $0 = .refused([]) }
            }
            result.done.signal()
        }
        thread.start()
        guard result.done.wait(timeout: .now() + 20) == .success, let outcome = result.outcome.withLock({ $0 }) else {
            throw FuzzFailure("loading a \(yaml.utf8.count)-byte document did not finish in 20 s: \(yaml.prefix(80))…")
        }
        return outcome
    }

    // MARK: Deliveries

    @Test(arguments: [HostEnvironment.Transport.socketMode, .http])
    func randomAndMalformedDeliveriesAreAllAnswered(transport: HostEnvironment.Transport) async throws {
        try await TestHost.withRunning(plugins: [ProbePlugin.self], config: Self.config, transport: transport) { host in
            var random = SeededRandom(seed: transport == .socketMode ? 0x5EED : 0xBEEF)
            let simulator = host.simulator
            _ = try await host.slash("form", as: "carol", in: "general")
            let posted = try #require(try await host.slash("shout fuzz", as: "alice", in: "incidents")?.text)
            let ts = String(posted.dropFirst("posted ".count))
            let bases: [JSONValue] = [
                try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: "echo hi"),
                try simulator.viewSubmission(user: "carol", values: ["word": ["word": "abc"]]),
                try simulator.blockAction(user: "bob", in: .message(channel: "incidents", ts: ts), actionID: "probe.ack", value: "x"),
                try simulator.memberJoinedChannel(user: "U0DAVE", channel: "C0INCIDENTS"),
                try simulator.appMention(user: "alice", channel: "general", text: "<@U0CASEBOOK> hi"),
            ]
            for round in 0..<120 {
                let payload: JSONValue
                switch random.next(upTo: 3) {
                case 0:
                    payload = try simulator.slashCommand(user: "alice", channel: "general", command: "/case", text: random.slashText())
                case 1:
                    // The form closes once a word of three letters is sent; then a mutated submission.
                    let word = "w" + random.slashText()
                    payload = (try? simulator.viewSubmission(user: "carol", values: ["word": ["word": word]])) ?? random.mutate(bases[1], depth: 0)
                default:
                    payload = random.mutate(bases[random.next(upTo: bases.count)], depth: 0)
                }
                let answered = try await Self.deliver(payload, kind: random.kind(of: payload), to: host)
                #expect(answered, "round \(round): no answer to \(payload.encoded().prefix(200))")
                if transport == .socketMode, random.next(upTo: 8) == 0 {
                    try await simulator.sendRawFrame(random.garbageFrame())
                }
            }
            // Still whole: a plain command works, on the same sockets or fresh ones.
            #expect(try await host.slash("echo still here", as: "bob", in: "general")?.text == "echo: still here")
        }
    }

    /// Delivers through the host's transport; true when the host answered (an ack in Socket Mode,
    /// any non-5xx status in HTTP mode).
    static func deliver(_ payload: JSONValue, kind: EnvelopeKind, to host: TestHost) async throws -> Bool {
        switch host.transport {
        case .socketMode:
            return try await host.simulator.deliver(kind, payload: payload).acked
        case .http:
            let port = try #require(host.httpPort)
            let response = try await host.simulator.postSigned(to: "http://127.0.0.1:\(port)/slack/events", kind, payload: payload)
            return response.status < 500
        }
    }
}

struct FuzzFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upTo bound: Int) -> Int {
        bound <= 1 ? 0 : Int(next() % UInt64(bound))
    }

    static let pieces = [
        "echo", "shout", "form", "help", "boom", "sprawl", "sneak", "", " ", "<!here>", "<!channel>", "<@U0ALICE>", "<!subteam^S0123|@oncall>",
        "<#C0INCIDENTS|incidents>", "\n", "\r\n", "\t", "\u{0}", "\u{1B}[31m", "\u{202E}", "🔥", "ß", "\"", "'", "`", "*", "_", "~", "&amp;",
        "%00", "%", "\\", "{{", "}}", "$(rm -rf /)", "${HOME}", "'; DROP TABLE cases_cases; --", String(repeating: "x", count: 3000),
    ]

    /// A slash command text from hostile pieces.
    mutating func slashText() -> String {
        (0..<next(upTo: 6)).map { _ in Self.pieces[next(upTo: Self.pieces.count)] }.joined(separator: next(upTo: 2) == 0 ? " " : "")
    }

    /// A random JSON value of any type (bounded).
    mutating func value(depth: Int) -> JSONValue {
        switch next(upTo: depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(next(upTo: 2) == 0)
        case 2: return .number([0, -1, 1e300, -0.0, 4_294_967_297, 0.5][next(upTo: 6)])
        case 3: return .string(slashText())
        case 4: return .string(Self.pieces[next(upTo: Self.pieces.count)])
        case 5: return .array((0..<next(upTo: 4)).map { _ in value(depth: depth + 1) })
        default: return .object(Dictionary((0..<next(upTo: 4)).map { ("k\($0)", value(depth: depth + 1)) }, uniquingKeysWith: { first, _ in first }))
        }
    }

    /// `payload` with some fields removed, retyped or replaced, recursively.
    mutating func mutate(_ payload: JSONValue, depth: Int) -> JSONValue {
        switch payload {
        case .object(var object):
            for key in object.keys.sorted() {
                switch next(upTo: 6) {
                case 0: object[key] = nil
                case 1: object[key] = value(depth: depth + 1)
                case 2, 3: object[key] = object[key].map { mutate($0, depth: depth + 1) }
                default: break
                }
            }
            return .object(object)
        case .array(let items):
            return .array(items.map { mutate($0, depth: depth + 1) } + (next(upTo: 4) == 0 ? [value(depth: depth + 1)] : []))
        default:
            return next(upTo: 3) == 0 ? value(depth: depth) : payload
        }
    }

    /// Mostly the kind that fits the payload, sometimes another.
    mutating func kind(of payload: JSONValue) -> EnvelopeKind {
        next(upTo: 5) == 0 ? EnvelopeKind.allCases[next(upTo: EnvelopeKind.allCases.count)] : EnvelopeKind.of(payload)
    }

    /// A Socket Mode frame that is not a well-formed envelope.
    mutating func garbageFrame() -> String {
        [
            "", "not json", "{", "[]", "null", "{\"type\":\"events_api\"}", "{\"envelope_id\":5,\"type\":[]}",
            "{\"envelope_id\":\"e1\",\"type\":\"slash_commands\",\"payload\":\"text\"}",
            "{\"envelope_id\":\"e2\",\"type\":\"interactive\",\"payload\":{\"type\":\"view_submission\"}}",
            "{\"type\":\"disconnect\",\"reason\":42}", "{\"type\":\"hello\",\"num_connections\":\"many\"}",
            String(repeating: "[", count: 100_000), String(repeating: "{\"a\":", count: 10_000),
        ][next(upTo: 13)]
    }
}
