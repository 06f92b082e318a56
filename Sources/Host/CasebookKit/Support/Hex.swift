/// Lowercase hexadecimal, written byte by byte: digests and signatures (``Swift/Sequence/hexString``),
/// trace ids and JSON's `\u00XX` escapes all use this one digit table.
enum Hex {
    /// The ASCII digit of a nibble (`0…15` → `0…9a…f`).
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex, two digits a byte (digests, signatures). Not `String(format: "%02x")`, which
    /// goes through Foundation's formatter and its locale for every byte: this runs on every
    /// audit line and every migration check.
    public var hexString: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(Hex.digit(byte >> 4))
            text.append(Hex.digit(byte & 0x0f))
        }
        return String(decoding: text, as: UTF8.self)
    }
}
