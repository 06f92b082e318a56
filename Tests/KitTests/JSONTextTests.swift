import CasebookKit
import Foundation
import Testing

/// The hand-written JSON reader and writer against Foundation's, which they replaced on the hot path.
@Suite("JSON text")
struct JSONTextTests {
    /// What the reader replaced: `JSONDecoder` through `JSONValue`'s `Decodable` conformance.
    static func foundation(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let documents = [
        #"{"envelope_id":"57d6a792-4d35-4d0f-b8d6-5a4d3b7f1e11","type":"slash_commands","accepts_response_payload":true,"payload":{"token":"x","team_id":"T0001","command":"/case","text":"open API latency up","response_url":"https:\/\/hooks.slack.com\/commands\/T0001\/1\/abc","trigger_id":"13345224609.738474920.8088930838d88f008e0"}}"#,
        #"  [1, -2, 3.5, -0.25, 1e3, 2E-2, 0, -0, 123456789012345, 1234567890123456789, 1.7976931348623157e308]  "#,
        #"{"escapes":"quote \" backslash \\ slash \/ \b\f\n\r\t tab","unicode":"caf\u00e9 \u2603 \ud83d\ude80","raw":"café ☃ 🚀"}"#,
        #"{"nested":{"a":[{"b":[[],{}]},null,true,false]},"empty":"","k":{"":""}}"#,
        #""just a string""#,
        "  true ",
        "null",
        "-12.5e-3",
        #"{"dup":1,"dup":2}"#,
    ]

    @Test(arguments: documents)
    func readsLikeFoundation(_ text: String) throws {
        #expect(try JSONValue.decode(text) == Self.foundation(text))
        #expect(try JSONValue.decode(Data(text.utf8)) == Self.foundation(text))
        #expect(try JSONValue.decode(bytes: Array(text.utf8)) == Self.foundation(text))
    }

    @Test func surrogatesAndEscapesBecomeTheRightScalars() throws {
        #expect(try JSONValue.decode(#""\ud83d\ude80""#) == "🚀")
        #expect(try JSONValue.decode(#""\u0041\u00DF""#) == "Aß")
        // A lone surrogate cannot be a scalar: replaced, as Foundation's decoder does for invalid text.
        #expect(try JSONValue.decode(#""a\ud83db""#) == "a\u{FFFD}b")
        #expect(try JSONValue.decode(#""\ude80""#) == "\u{FFFD}")
    }

    static let invalid: [(text: String, offset: Int)] = [
        ("", 0), ("{", 1), (#"{"a" 1}"#, 5), ("[1 2]", 3), ("01", 1), ("1.", 2), ("-", 1),
        (".5", 0), ("+1", 0), ("1e", 2), ("tru", 0), ("nul", 0), (#""abc"#, 4), ("\"a\u{1}b\"", 2), (#""\x""#, 2),
        (#""\u12G4""#, 5), ("{} x", 3), ("[1] [2]", 4), (#"{1:2}"#, 1),
    ]

    @Test(arguments: invalid)
    func refusesWhatFoundationRefusesAndSaysWhere(_ example: (text: String, offset: Int)) {
        #expect(throws: (any Error).self) { try Self.foundation(example.text) }
        let error = #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.decode(example.text) }
        #expect(error?.offset == example.offset)
    }

    /// Foundation tolerates these; RFC 8259 does not, and neither does Slack's JSON.
    @Test func trailingCommasAreRefused() {
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.decode(#"{"a":1,}"#) }
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.decode("[1,]") }
    }

    @Test func deepNestingIsRefusedNotACrash() throws {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.decode(deep) }
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try JSONValue.decode(fine).array?.count == 1)
    }

    @Test func writesCompactSortedTextThatFoundationReadsBack() throws {
        let value: JSONValue = [
            "z": "last", "a": ["x": 1, "B": 2.5, "_": -3], "text": "quote \" backslash \\ slash / newline \n \u{1} é 🚀",
            "big": 1e20, "small": 0.000125, "nothing": nil, "flags": [true, false],
        ]
        let text = value.encoded()
        #expect(text.hasPrefix(#"{"a":{"B":2.5,"_":-3,"x":1},"big":1e+20,"flags":[true,false],"nothing":null,"small":0.000125,"#))
        #expect(text.contains(#""quote \" backslash \\ slash / newline \n \u0001 é 🚀""#))
        #expect(try Self.foundation(text) == value)
        #expect(try JSONValue.decode(text) == value)
    }

    @Test func numbersThatJSONCannotHoldBecomeNull() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity), 3]).encoded() == "[null,null,3]")
    }

    /// Random documents survive writing and reading, and Foundation reads the writer's text the same way.
    @Test func randomDocumentsRoundTrip() throws {
        var generator = SeededGenerator(seed: 0xCA5E)
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let text = value.encoded()
            #expect(try JSONValue.decode(text) == value, "\(text)")
            let seen = try Self.foundation(text)
            #expect(seen == value, "\(text) \(seen) \(value)")
        }
    }

    static func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            return Bool.random(using: &generator)
                ? .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)))
                : .number(Double.random(in: -1e6...1e6, using: &generator))
        case 3: return .string(randomString(using: &generator))
        case 4: return .array((0..<Int.random(in: 0..<5, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                object[randomString(using: &generator)] = randomValue(depth: depth + 1, using: &generator)
            }
            return .object(object)
        }
    }

    static func randomString(using generator: inout SeededGenerator) -> String {
        let alphabet: [Character] = ["a", "Z", "_", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "é", "☃", "🚀", "\u{7F}"]
        return String((0..<Int.random(in: 0..<12, using: &generator)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}

/// A small deterministic generator (SplitMix64), so a failing document can be reproduced.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
