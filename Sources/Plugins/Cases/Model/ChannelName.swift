import CasebookKit

/// Channel names for new cases: `<prefix>-<slug>-<suffix>`, e.g. `case-api-respons-a3f`.
///
/// Slack validates names and never normalises them (lowercase letters, digits, hyphens,
/// underscores; at most 80 characters), so the name is built to pass as is.
public struct ChannelName: Sendable, Equatable {
    public var prefix: String
    public var slugLength: Int
    public var suffixLength: Int

    public init(prefix: String, slugLength: Int, suffixLength: Int = 3) {
        self.prefix = prefix
        self.slugLength = slugLength
        self.suffixLength = suffixLength
    }

    /// The description reduced to lowercase ASCII letters and digits separated by single hyphens,
    /// cut to `length` characters without a trailing hyphen; `investigation` when nothing is left.
    public static func slug(_ description: String, length: Int) -> String {
        var slug = ""
        var pendingHyphen = false
        let folded = description.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        for character in folded.unicodeScalars {
            if ("a"..."z").contains(character) || ("0"..."9").contains(character) {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(character)
            } else if character == "'" || character == "’" {
                continue  // "can't" → "cant", not "can-t"
            } else {
                pendingHyphen = true
            }
        }
        if slug.count > length { slug = String(slug.prefix(max(length, 0))) }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "investigation" : slug
    }

    /// A random lowercase hexadecimal suffix, different on every call (retries on `name_taken`).
    public func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return Self.suffix(length: suffixLength, using: &generator)
    }

    static func suffix(length: Int, using generator: inout some RandomNumberGenerator) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<max(length, 1)).map { _ in digits[Int.random(in: 0..<16, using: &generator)] })
    }

    /// The full name for `description` with `suffix`, within Slack's 80 characters.
    public func name(for description: String, suffix: String) -> String {
        let budget = 80 - prefix.count - suffix.count - 2
        let slug = Self.slug(description, length: min(slugLength, max(budget, 1)))
        return [prefix, slug, suffix].filter { !$0.isEmpty }.joined(separator: "-")
    }
}
