extension Sequence where Element == UInt8 {
    /// Lowercase hex, two digits a byte (digests, signatures). Not `String(format: "%02x")`, which
    /// goes through Foundation's formatter and its locale for every byte: this runs on every
    /// audit line and every migration check.
    public var hexString: String {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        digits.withUTF8Buffer { digits in
            for byte in self {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
