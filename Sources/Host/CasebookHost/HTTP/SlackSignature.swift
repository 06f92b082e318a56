import CasebookKit
import Crypto

/// Slack's v0 request signature (slack.md §2.1): `v0=` + hex(HMAC-SHA256(secret, "v0:ts:body")),
/// checked over the raw body bytes, in constant time, within a 5-minute window either side of now.
public struct SlackSignature: Sendable {
    /// Why a request was rejected; only ever logged, the client just gets 401.
    public enum Failure: Error, Sendable, Equatable {
        case missingHeaders
        case malformedTimestamp
        case staleTimestamp
        case malformedSignature
        case mismatch
    }

    private let key: SymmetricKey
    /// How far the request timestamp may be from now, in either direction (replay protection).
    public let tolerance: TimeInterval

    public init(signingSecret: String, tolerance: TimeInterval = 300) {
        self.key = SymmetricKey(data: Data(signingSecret.utf8))
        self.tolerance = tolerance
    }

    /// The `X-Slack-Signature` value Slack would send for this body and timestamp.
    public func sign(body: some DataProtocol, timestamp: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Self.baseString(body: body, timestamp: timestamp), using: key)
        return "v0=" + mac.hexString
    }

    /// Throws a ``Failure`` unless `signature` is a valid v0 signature of `body` at `timestamp`
    /// and the timestamp is within ``tolerance`` of `now`.
    public func verify(body: some DataProtocol, timestamp: String?, signature: String?, now: Date) throws(Failure) {
        let expected = try verifyHeaders(timestamp: timestamp, signature: signature, now: now)
        guard let timestamp else { throw .missingHeaders }
        guard HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Self.baseString(body: body, timestamp: timestamp), using: key) else {
            throw .mismatch
        }
    }

    /// The checks that need no body (headers present, timestamp fresh, signature well-formed), so
    /// a request failing them is refused before its body is read. Returns the signature's bytes.
    @discardableResult
    public func verifyHeaders(timestamp: String?, signature: String?, now: Date) throws(Failure) -> [UInt8] {
        guard let timestamp, let signature else { throw .missingHeaders }
        guard let seconds = Int64(timestamp.trimmingCharacters(in: .whitespaces)) else { throw .malformedTimestamp }
        guard abs(now.timeIntervalSince1970 - TimeInterval(seconds)) <= tolerance else { throw .staleTimestamp }
        guard signature.hasPrefix("v0="), let expected = Self.hexBytes(signature.dropFirst(3)), expected.count == SHA256.byteCount else {
            throw .malformedSignature
        }
        return expected
    }

    private static func baseString(body: some DataProtocol, timestamp: String) -> Data {
        var data = Data("v0:\(timestamp):".utf8)
        data.append(contentsOf: body)
        return data
    }

    private static func hexBytes(_ hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
