import CasebookKit
import CYaml
import Yams

/// Limits on a YAML document before and after Yams composes it, so a hostile or broken
/// `plugins.yaml` (or literature file) is a configuration error, not a crash or a hang:
/// - nesting: Yams composes recursively, so a document nested thousands of levels deep would
///   overflow the stack; it is refused before composing, from libyaml's events;
/// - expansion: aliases are cheap to compose but each use is a full copy to the decoder, so
///   nine anchors of nine aliases each ("billion laughs") become 387 million nodes; a document
///   that expands to more than ``maximumNodes`` is refused.
enum YAMLBounds {
    static let maximumDepth = 100
    static let maximumNodes = 100_000

    /// The document too deep or too large, with the place where that was noticed.
    struct Exceeded: Error {
        var line: Int
        var column: Int
        var message: String
    }

    /// `Yams.compose`, within the bounds.
    static func compose(_ yaml: String) throws -> Node? {
        try checkNesting(yaml)
        let root = try Yams.compose(yaml: yaml)
        if let root {
            var budget = maximumNodes
            guard fits(root, budget: &budget) else {
                throw Exceeded(
                    line: 1, column: 1,
                    message: "the document expands to more than \(maximumNodes) values (aliases used many times over?)")
            }
        }
        return root
    }

    /// Refuses a document nested deeper than ``maximumDepth``, counted on libyaml's event stream
    /// (a loop, not recursion). Syntax errors are left for Yams to report with their place.
    static func checkNesting(_ yaml: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(yaml.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > maximumDepth {
                        throw Exceeded(
                            line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                            message: "the document is nested more than \(maximumDepth) levels deep")
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return
                default:
                    break
                }
            }
        }
    }

    /// Counts `node`'s values as the decoder will see them (aliases expanded), giving up once the
    /// budget is spent.
    private static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        if budget < 0 { return false }
        switch node {
        case .scalar, .alias:
            return true
        case .sequence(let sequence):
            for item in sequence where !fits(item, budget: &budget) { return false }
            return true
        case .mapping(let mapping):
            for (key, value) in mapping where !fits(key, budget: &budget) || !fits(value, budget: &budget) { return false }
            return true
        }
    }
}
