import CasebookKit

/// Finds interactive elements in stored blocks: action block elements, section accessories and
/// input elements, with their block id.
enum ElementLookup {
    struct Found {
        var blockID: String?
        var element: JSONValue
        /// The input block's label, for inputs.
        var inputLabel: String?
        var optional: Bool
    }

    static func all(in blocks: [JSONValue]) -> [Found] {
        var found: [Found] = []
        for block in blocks {
            let blockID = block["block_id"]?.string
            switch block["type"]?.string {
            case "actions":
                for element in block["elements"]?.array ?? [] {
                    found.append(Found(blockID: blockID, element: element, inputLabel: nil, optional: true))
                }
            case "section":
                if let accessory = block["accessory"], accessory["action_id"] != nil || accessory["type"]?.string == "button" {
                    found.append(Found(blockID: blockID, element: accessory, inputLabel: nil, optional: true))
                }
            case "input":
                if let element = block["element"] {
                    found.append(Found(
                        blockID: blockID, element: element, inputLabel: block["label"]?["text"]?.string,
                        optional: block["optional"]?.bool ?? false))
                }
            default:
                break
            }
        }
        return found.filter { $0.element["type"]?.string != "image" }
    }

    static func find(actionID: String, blockID: String?, in blocks: [JSONValue]) -> Found? {
        all(in: blocks).first { $0.element["action_id"]?.string == actionID && (blockID == nil || $0.blockID == blockID) }
    }

    static func options(of element: JSONValue) -> [JSONValue] {
        let direct = element["options"]?.array ?? []
        let grouped = (element["option_groups"]?.array ?? []).flatMap { $0["options"]?.array ?? [] }
        return direct + grouped
    }

    /// A short human name for an element: a button's text, a select's placeholder, or its action id.
    static func label(_ found: Found) -> String {
        found.inputLabel ?? found.element["text"]?["text"]?.string ?? found.element["placeholder"]?["text"]?.string
            ?? found.element["action_id"]?.string ?? "?"
    }
}

extension BlockValidation {
    /// Slack gives every block without a `block_id` a generated one, and returns it in messages,
    /// views and payloads; so does the simulator.
    static func assignBlockIDs(_ blocks: [JSONValue], state: inout WorkspaceState) -> [JSONValue] {
        blocks.map { block in
            guard case .object(var object) = block, object["block_id"] == nil else { return block }
            object["block_id"] = .string(String(state.nextSecret(5)))
            return .object(object)
        }
    }
}
