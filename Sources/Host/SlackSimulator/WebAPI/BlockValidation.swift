import CasebookKit

/// Checks Block Kit the way Slack's schema does (reference/slack.md §7), answering `invalid_blocks`
/// with `[ERROR] … [json-pointer:/blocks/…]` messages, and `invalid_blocks_format` when `blocks`
/// is not a JSON array at all.
enum BlockValidation {
    enum Surface { case message, modal }

    static let blockTypes: Set<String> = [
        "section", "actions", "context", "divider", "header", "input", "image", "rich_text", "file", "video",
        "markdown", "table", "context_actions",
    ]
    static let elementTypes: Set<String> = [
        "button", "static_select", "external_select", "users_select", "conversations_select", "channels_select",
        "multi_static_select", "multi_users_select", "multi_conversations_select", "multi_channels_select",
        "multi_external_select", "overflow", "datepicker", "timepicker", "datetimepicker", "checkboxes",
        "radio_buttons", "plain_text_input", "email_text_input", "url_text_input", "number_input", "image",
        "rich_text_input", "workflow_button", "file_input",
    ]

    /// Parses and validates a `blocks` argument; `nil` when absent.
    static func blocks(_ call: APICall, surface: Surface = .message) throws -> [JSONValue]? {
        guard let value = try call.json("blocks", invalid: "invalid_blocks_format") else { return nil }
        guard let blocks = value.array else { throw APIError("invalid_blocks_format") }
        let messages = problems(blocks, surface: surface, pointer: "/blocks")
        if !messages.isEmpty { throw APIError.withMessages("invalid_blocks", messages) }
        return blocks
    }

    static func problems(_ blocks: [JSONValue], surface: Surface, pointer: String) -> [String] {
        var messages: [String] = []
        let maximum = surface == .message ? 50 : 100
        if blocks.count > maximum { messages.append("[ERROR] no more than \(maximum) items allowed [json-pointer:\(pointer)]") }
        var blockIDs: Set<String> = []
        for (index, block) in blocks.enumerated() {
            let at = "\(pointer)/\(index)"
            guard let type = block["type"]?.string, blockTypes.contains(type) else {
                messages.append("[ERROR] failed to match all allowed schemas [json-pointer:\(at)]")
                continue
            }
            if let id = block["block_id"]?.string {
                if id.count > 255 { messages.append("[ERROR] must be less than 256 characters [json-pointer:\(at)/block_id]") }
                if !blockIDs.insert(id).inserted { messages.append("[ERROR] duplicate block_id [json-pointer:\(at)/block_id]") }
            }
            switch type {
            case "section":
                if block["text"] == nil && block["fields"] == nil {
                    messages.append("[ERROR] must provide either text or fields [json-pointer:\(at)]")
                }
                messages += text(block["text"], max: 3000, at: "\(at)/text")
                if let fields = block["fields"] {
                    let list = fields.array ?? []
                    if list.count > 10 { messages.append("[ERROR] no more than 10 items allowed [json-pointer:\(at)/fields]") }
                    for (fieldIndex, field) in list.enumerated() { messages += text(field, max: 2000, at: "\(at)/fields/\(fieldIndex)") }
                }
                if let accessory = block["accessory"] { messages += element(accessory, at: "\(at)/accessory") }
            case "header":
                messages += text(block["text"], max: 150, at: "\(at)/text", plainOnly: true, required: true)
            case "actions":
                let elements = block["elements"]?.array ?? []
                if elements.isEmpty { messages.append("[ERROR] must provide at least 1 items [json-pointer:\(at)/elements]") }
                if elements.count > 25 { messages.append("[ERROR] no more than 25 items allowed [json-pointer:\(at)/elements]") }
                var actionIDs: Set<String> = []
                for (elementIndex, item) in elements.enumerated() {
                    messages += element(item, at: "\(at)/elements/\(elementIndex)")
                    if let id = item["action_id"]?.string, !actionIDs.insert(id).inserted {
                        messages.append("[ERROR] duplicate action_id [json-pointer:\(at)/elements/\(elementIndex)/action_id]")
                    }
                }
            case "context":
                let elements = block["elements"]?.array ?? []
                if elements.isEmpty { messages.append("[ERROR] must provide at least 1 items [json-pointer:\(at)/elements]") }
                if elements.count > 10 { messages.append("[ERROR] no more than 10 items allowed [json-pointer:\(at)/elements]") }
            case "input":
                messages += text(block["label"], max: 2000, at: "\(at)/label", plainOnly: true, required: true)
                if let item = block["element"] { messages += element(item, at: "\(at)/element") } else {
                    messages.append("[ERROR] missing required field: element [json-pointer:\(at)]")
                }
            default:
                break
            }
        }
        return messages
    }

    private static func text(_ value: JSONValue?, max: Int, at pointer: String, plainOnly: Bool = false, required: Bool = false) -> [String] {
        guard let value else { return required ? ["[ERROR] missing required field: text [json-pointer:\(pointer)]"] : [] }
        guard let type = value["type"]?.string, type == "plain_text" || (type == "mrkdwn" && !plainOnly),
              let string = value["text"]?.string
        else { return ["[ERROR] failed to match all allowed schemas [json-pointer:\(pointer)]"] }
        if string.isEmpty { return ["[ERROR] must be more than 0 characters [json-pointer:\(pointer)/text]"] }
        if string.count > max { return ["[ERROR] must be less than \(max + 1) characters [json-pointer:\(pointer)/text]"] }
        return []
    }

    private static func element(_ value: JSONValue, at pointer: String) -> [String] {
        guard let type = value["type"]?.string, elementTypes.contains(type) else {
            return ["[ERROR] failed to match all allowed schemas [json-pointer:\(pointer)]"]
        }
        var messages: [String] = []
        if let id = value["action_id"]?.string, id.count > 255 {
            messages.append("[ERROR] must be less than 256 characters [json-pointer:\(pointer)/action_id]")
        }
        switch type {
        case "button":
            messages += text(value["text"], max: 75, at: "\(pointer)/text", plainOnly: true, required: true)
            if let style = value["style"]?.string, style != "primary", style != "danger" {
                messages.append("[ERROR] must be one of primary, danger [json-pointer:\(pointer)/style]")
            }
        case "static_select", "multi_static_select":
            let options = value["options"]?.array ?? []
            let groups = value["option_groups"]?.array ?? []
            if options.isEmpty && groups.isEmpty { messages.append("[ERROR] must provide either options or option_groups [json-pointer:\(pointer)]") }
            if options.count > 100 { messages.append("[ERROR] no more than 100 items allowed [json-pointer:\(pointer)/options]") }
            for (index, option) in options.enumerated() {
                messages += text(option["text"], max: 75, at: "\(pointer)/options/\(index)/text", required: true)
                if option["value"]?.string == nil { messages.append("[ERROR] missing required field: value [json-pointer:\(pointer)/options/\(index)]") }
            }
        case "checkboxes", "radio_buttons":
            let options = value["options"]?.array ?? []
            if options.isEmpty { messages.append("[ERROR] must provide at least 1 items [json-pointer:\(pointer)/options]") }
            if options.count > 10 { messages.append("[ERROR] no more than 10 items allowed [json-pointer:\(pointer)/options]") }
            for (index, option) in options.enumerated() {
                messages += text(option["text"], max: 75, at: "\(pointer)/options/\(index)/text", required: true)
                messages += text(option["description"], max: 75, at: "\(pointer)/options/\(index)/description")
                if option["value"]?.string == nil { messages.append("[ERROR] missing required field: value [json-pointer:\(pointer)/options/\(index)]") }
            }
            let initial = type == "checkboxes" ? value["initial_options"]?.array ?? [] : value["initial_option"].map { [$0] } ?? []
            for (index, option) in initial.enumerated() where !options.contains(option) {
                let field = type == "checkboxes" ? "initial_options/\(index)" : "initial_option"
                messages.append("[ERROR] must match one of the options [json-pointer:\(pointer)/\(field)]")
            }
        default:
            break
        }
        return messages
    }
}
