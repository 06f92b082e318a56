import CasebookKit
import Foundation
import NIOCore

/// One `slash_commands` envelope encoded once, with a fixed-width envelope id whose last 12 hex
/// digits are patched per delivery, so the load generator spends no JSON encoding per envelope.
///
/// Ids are shaped like Slack's (a lower-case UUID): a random prefix per template and a counter.
/// The same template reads the id back out of an ack by a byte scan.
struct EnvelopeTemplate: Sendable {
    /// `xxxxxxxx-xxxx-4xxx-8xxx-`: the fixed part of every id.
    let idPrefix: [UInt8]
    static let counterDigits = 12
    static let idLength = 36
    /// Counters fit in the 12 hex digits of an id.
    static let maximumCounter: UInt64 = (1 << 48) - 1

    private let bytes: ByteBuffer
    /// Where the counter digits sit in `bytes`.
    private let counterOffset: Int

    init(payload: JSONValue) throws {
        let prefix = String(
            format: "%08x-%04x-4%03x-%04x-", UInt32.random(in: .min ... .max), UInt16.random(in: .min ... .max),
            UInt16.random(in: 0...0xfff), UInt16.random(in: 0x8000...0xbfff))
        let placeholder = prefix + String(repeating: "0", count: Self.counterDigits)
        let envelope: JSONValue = [
            "envelope_id": .string(placeholder), "type": "slash_commands", "accepts_response_payload": true, "payload": payload,
        ]
        let encoded = envelope.encodedBytes()
        let needle = Array(("\"" + placeholder + "\"").utf8)
        guard let start = Self.firstIndex(of: needle, in: encoded) else {
            throw BenchError("the envelope's id was not found in its encoding")
        }
        idPrefix = Array(prefix.utf8)
        bytes = ByteBuffer(bytes: encoded)
        counterOffset = start + 1 + idPrefix.count
    }

    /// The envelope with the id ending in `counter` (mod 2⁴⁸).
    func envelope(_ counter: UInt64) -> ByteBuffer {
        var buffer = bytes
        let offset = counterOffset
        buffer.withUnsafeMutableReadableBytes { raw in
            var value = counter
            for index in stride(from: Self.counterDigits - 1, through: 0, by: -1) {
                let digit = UInt8(truncatingIfNeeded: value & 0xf)
                raw[offset + index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                value >>= 4
            }
        }
        return buffer
    }

    /// An ack read by a byte scan: the counter of its envelope id and the bytes that follow the id.
    struct ScannedAck {
        var counter: UInt64
        /// Everything after the id's closing quote (`,"payload":{…}}` for a reply).
        var tail: ByteBuffer
    }

    /// `"envelope_id":"`, which the host's sorted-key writer puts first (`{"envelope_id":"…",…}`).
    private static let key = Array(#""envelope_id":""#.utf8)

    /// Finds the envelope id in an ack frame without parsing the JSON; nil when the frame has no
    /// id of this template's shape.
    func scan(_ frame: ByteBuffer) -> ScannedAck? {
        let found: (counter: UInt64, end: Int)? = frame.withUnsafeReadableBytes { raw in
            let key = Self.key
            var start = 1
            if !Self.matches(key, in: raw, at: start) {
                // Not first after all: fall back to a search.
                guard let index = Self.firstIndex(of: key, in: raw) else { return nil }
                start = index
            }
            let id = start + key.count
            guard raw.count >= id + Self.idLength + 1, Self.matches(idPrefix, in: raw, at: id),
                  raw[id + Self.idLength] == UInt8(ascii: "\"") else { return nil }
            var counter: UInt64 = 0
            for index in (id + idPrefix.count)..<(id + Self.idLength) {
                let byte = raw[index]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                default: return nil
                }
                counter = counter << 4 | UInt64(digit)
            }
            return (counter, id + Self.idLength + 1)
        }
        guard let found else { return nil }
        var tail = frame
        tail.moveReaderIndex(forwardBy: found.end)
        return ScannedAck(counter: found.counter, tail: tail)
    }

    private static func matches(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, haystack.count >= offset + needle.count else { return false }
        for index in needle.indices where haystack[offset + index] != needle[index] { return false }
        return true
    }

    private static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for offset in 0...(haystack.count - needle.count) where matches(needle, in: haystack, at: offset) { return offset }
        return nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        haystack.withUnsafeBytes { firstIndex(of: needle, in: $0) }
    }
}
