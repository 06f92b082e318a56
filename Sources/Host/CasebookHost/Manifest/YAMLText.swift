import CasebookKit

/// A small block-style YAML writer for ``JSONValue``, for the manifest people paste into Slack.
///
/// Yams' emitter would do, but it neither orders keys the way Slack's editor shows them nor
/// quotes conservatively; here any string that a YAML 1.1 or 1.2 reader could take for something
/// else (`yes`, `1.0`, `: `, a leading `-`) is double-quoted, so the text reads back as the same JSON.
enum YAMLText {
    static func render(_ value: JSONValue, keyOrder: [String] = []) -> String {
        var lines: [String] = []
        let rank = Dictionary(keyOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        write(value, indent: 0, into: &lines, rank: rank)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func write(_ value: JSONValue, indent: Int, into lines: inout [String], rank: [String: Int]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.isEmpty:
            for key in sortedKeys(object, rank: rank) {
                guard let child = object[key] else { continue }
                if isBlock(child) {
                    lines.append("\(pad)\(scalar(key)):")
                    write(child, indent: indent + 2, into: &lines, rank: rank)
                } else {
                    lines.append("\(pad)\(scalar(key)): \(inline(child))")
                }
            }
        case .array(let array) where !array.isEmpty:
            for item in array {
                var itemLines: [String] = []
                if isBlock(item) {
                    write(item, indent: indent + 2, into: &itemLines, rank: rank)
                    // The first line of the item moves up onto the "- " marker.
                    if let first = itemLines.first {
                        itemLines[0] = "\(pad)- " + first.dropFirst(indent + 2)
                    }
                    lines += itemLines
                } else {
                    lines.append("\(pad)- \(inline(item))")
                }
            }
        default:
            lines.append(pad + inline(value))
        }
    }

    private static func isBlock(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): !object.isEmpty
        case .array(let array): !array.isEmpty
        default: false
        }
    }

    private static func sortedKeys(_ object: [String: JSONValue], rank: [String: Int]) -> [String] {
        object.keys.sorted { lhs, rhs in
            switch (rank[lhs], rank[rhs]) {
            case let (left?, right?): left < right
            case (.some, nil): true
            case (nil, .some): false
            case (nil, nil): lhs < rhs
            }
        }
    }

    private static func inline(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let bool): bool ? "true" : "false"
        case .number(let number):
            number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let string): scalar(string)
        case .array: "[]"
        case .object: "{}"
        }
    }

    /// Words some YAML reader resolves to a bool or null.
    private static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    static func scalar(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _./:-")
        let plain = !text.isEmpty
            && text.allSatisfy { safe.contains($0) }
            && !(text.first.map { " -:.".contains($0) || $0.isNumber } ?? true)
            && !text.hasSuffix(" ") && !text.hasSuffix(":")
            && !text.contains(": ") && !text.contains(" #")
            && !reserved.contains(text.lowercased())
            && Double(text) == nil
        return plain ? text : quoted(text)
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += String(format: "\\x%02X", scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
