/// A length of time written in `plugins.yaml` as a number with a unit: `90s`, `30m`, `2h`, `7d`,
/// or a sum of them (`1h30m`).
///
/// Plugins use it for any configured interval (reminders, timeouts) so every duration in the file
/// reads the same way; a bare number is refused because its unit would be a guess.
public struct ConfigDuration: Decodable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var duration: Duration

    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses `90s`, `30m`, `2h`, `7d` or a sum such as `1h30m`; `nil` when the text is not a duration.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        var seconds: Int64 = 0
        var digits = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3_600
            case "d": unit = 86_400
            default: return nil
            }
            guard let amount = Int64(digits) else { return nil }
            let (product, productOverflow) = amount.multipliedReportingOverflow(by: unit)
            let (sum, sumOverflow) = seconds.addingReportingOverflow(product)
            guard !productOverflow, !sumOverflow else { return nil }
            seconds = sum
            digits = ""
        }
        guard digits.isEmpty else { return nil }
        self.duration = .seconds(seconds)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = ConfigDuration(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a duration such as 90s, 30m, 2h or 7d, found '\(text)'")
        }
        self = parsed
    }

    /// The shortest form using the largest whole units, e.g. `1h30m`.
    public var description: String {
        var remaining = duration.components.seconds
        guard remaining > 0 else { return "0s" }
        var text = ""
        for (unit, suffix) in [(Int64(86_400), "d"), (3_600, "h"), (60, "m"), (1, "s")] where remaining >= unit {
            text += "\(remaining / unit)\(suffix)"
            remaining %= unit
        }
        return text
    }

    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool {
        lhs.duration < rhs.duration
    }
}
