import CasebookKit

/// Checks shared by the literature types. Ids end up in option values and action ids (75 and 255
/// characters at most) and in what people type, so they are short, lowercase and unambiguous.
enum LiteratureRules {
    static func identifier<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> String {
        let id = try container.decode(String.self, forKey: key).trimmingCharacters(in: .whitespaces)
        let allowed = id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard !id.isEmpty, id.count <= 40, allowed else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "'\(id)' is not a valid id: use 1 to 40 lowercase letters, digits, - and _")
        }
        return id
    }

    static func text<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K, maximum: Int) throws -> String {
        let text = try container.decode(String.self, forKey: key).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= maximum else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container, debugDescription: "must be 1 to \(maximum) characters, found \(text.count)")
        }
        return text
    }

    /// Throws at the second occurrence (`levels[2].id`) of an id used twice.
    static func checkUnique(_ ids: [String], at path: [any CodingKey], what: String) throws {
        var seen = Set<String>()
        for (index, id) in ids.enumerated() where !seen.insert(id).inserted {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: path + [ListIndex(index), NamedKey("id")],
                debugDescription: "the \(what) id '\(id)' is used twice"))
        }
    }
}

/// Coding keys for error paths built by hand.
struct ListIndex: CodingKey {
    var intValue: Int?
    var stringValue: String
    init(_ index: Int) {
        intValue = index
        stringValue = "\(index)"
    }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { nil }
}

struct NamedKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
