/// A Block Kit layout block. Build messages and modals from these and the host checks Slack's
/// limits before anything is sent (see ``BlockKitLimits``), so a layout error fails in tests, not in Slack.
public enum Block: Sendable, Equatable {
    case section(Text, fields: [Text] = [], accessory: Element? = nil, blockID: String? = nil)
    case actions([Element], blockID: String? = nil)
    case context([Text], blockID: String? = nil)
    case divider
    case header(String, blockID: String? = nil)
    case input(String, element: Element, blockID: String, optional: Bool = false, hint: String? = nil)

    /// A section of mrkdwn text.
    public static func section(_ markdown: String, accessory: Element? = nil, blockID: String? = nil) -> Block {
        .section(.markdown(markdown), fields: [], accessory: accessory, blockID: blockID)
    }

    public var json: JSONValue {
        switch self {
        case .section(let text, let fields, let accessory, let blockID):
            var object: [String: JSONValue] = ["type": "section", "text": text.json]
            if !fields.isEmpty { object["fields"] = .array(fields.map(\.json)) }
            if let accessory { object["accessory"] = accessory.json }
            if let blockID { object["block_id"] = .string(blockID) }
            return .object(object)
        case .actions(let elements, let blockID):
            var object: [String: JSONValue] = ["type": "actions", "elements": .array(elements.map(\.json))]
            if let blockID { object["block_id"] = .string(blockID) }
            return .object(object)
        case .context(let elements, let blockID):
            var object: [String: JSONValue] = ["type": "context", "elements": .array(elements.map(\.json))]
            if let blockID { object["block_id"] = .string(blockID) }
            return .object(object)
        case .divider:
            return ["type": "divider"]
        case .header(let text, let blockID):
            var object: [String: JSONValue] = ["type": "header", "text": Text.plain(text).json]
            if let blockID { object["block_id"] = .string(blockID) }
            return .object(object)
        case .input(let label, let element, let blockID, let optional, let hint):
            var object: [String: JSONValue] = [
                "type": "input", "label": Text.plain(label).json, "element": element.json,
                "block_id": .string(blockID), "optional": .bool(optional),
            ]
            if let hint { object["hint"] = Text.plain(hint).json }
            return .object(object)
        }
    }
}

/// A text object.
public enum Text: Sendable, Equatable {
    case plain(String)
    case markdown(String)

    public var string: String {
        switch self {
        case .plain(let text), .markdown(let text): return text
        }
    }

    public var json: JSONValue {
        switch self {
        case .plain(let text): return ["type": "plain_text", "text": .string(text), "emoji": true]
        case .markdown(let text): return ["type": "mrkdwn", "text": .string(text)]
        }
    }
}

/// An interactive element inside an actions block, a section accessory, or an input block.
public enum Element: Sendable, Equatable {
    case button(Button)
    case staticSelect(actionID: String, placeholder: String, options: [Option], initial: Option? = nil)
    case usersSelect(actionID: String, placeholder: String, initialUser: String? = nil)
    case textInput(actionID: String, multiline: Bool = false, placeholder: String? = nil, initialValue: String? = nil, maxLength: Int? = nil)
    /// A group of checkboxes (1 to 10 options); `initial` are the ticked ones. A click sends every
    /// ticked option of the group (``BlockAction/selectedValues``); a modal submits the values of
    /// the ticked ones (``ViewValue/selectedOptions``).
    case checkboxes(actionID: String, options: [Option], initial: [Option] = [])

    public static func button(
        _ text: String, actionID: String, value: String? = nil, style: Button.Style? = nil, confirm: Confirm? = nil
    ) -> Element {
        .button(Button(text: text, actionID: actionID, value: value, style: style, confirm: confirm))
    }

    public var actionID: String {
        switch self {
        case .button(let button): return button.actionID
        case .staticSelect(let actionID, _, _, _), .usersSelect(let actionID, _, _), .textInput(let actionID, _, _, _, _),
            .checkboxes(let actionID, _, _):
            return actionID
        }
    }

    public var json: JSONValue {
        switch self {
        case .button(let button):
            var object: [String: JSONValue] = ["type": "button", "text": Text.plain(button.text).json, "action_id": .string(button.actionID)]
            if let value = button.value { object["value"] = .string(value) }
            if let style = button.style { object["style"] = .string(style.rawValue) }
            if let confirm = button.confirm { object["confirm"] = confirm.json }
            return .object(object)
        case .staticSelect(let actionID, let placeholder, let options, let initial):
            var object: [String: JSONValue] = [
                "type": "static_select", "action_id": .string(actionID),
                "placeholder": Text.plain(placeholder).json, "options": .array(options.map(\.json)),
            ]
            if let initial { object["initial_option"] = initial.json }
            return .object(object)
        case .usersSelect(let actionID, let placeholder, let initialUser):
            var object: [String: JSONValue] = [
                "type": "users_select", "action_id": .string(actionID), "placeholder": Text.plain(placeholder).json,
            ]
            if let initialUser { object["initial_user"] = .string(initialUser) }
            return .object(object)
        case .textInput(let actionID, let multiline, let placeholder, let initialValue, let maxLength):
            var object: [String: JSONValue] = ["type": "plain_text_input", "action_id": .string(actionID), "multiline": .bool(multiline)]
            if let placeholder { object["placeholder"] = Text.plain(placeholder).json }
            if let initialValue { object["initial_value"] = .string(initialValue) }
            if let maxLength { object["max_length"] = .number(Double(maxLength)) }
            return .object(object)
        case .checkboxes(let actionID, let options, let initial):
            var object: [String: JSONValue] = ["type": "checkboxes", "action_id": .string(actionID), "options": .array(options.map(\.json))]
            if !initial.isEmpty { object["initial_options"] = .array(initial.map(\.json)) }
            return .object(object)
        }
    }
}

public struct Button: Sendable, Equatable {
    public enum Style: String, Sendable { case primary, danger }
    public var text: String
    public var actionID: String
    public var value: String?
    public var style: Style?
    public var confirm: Confirm?

    public init(text: String, actionID: String, value: String? = nil, style: Style? = nil, confirm: Confirm? = nil) {
        self.text = text
        self.actionID = actionID
        self.value = value
        self.style = style
        self.confirm = confirm
    }
}

/// A confirmation dialog shown before a button's action is sent.
public struct Confirm: Sendable, Equatable {
    public var title: String
    public var text: String
    public var confirm: String
    public var deny: String

    public init(title: String, text: String, confirm: String = "Yes", deny: String = "Cancel") {
        self.title = title
        self.text = text
        self.confirm = confirm
        self.deny = deny
    }

    public var json: JSONValue {
        [
            "title": Text.plain(title).json, "text": Text.plain(text).json,
            "confirm": Text.plain(confirm).json, "deny": Text.plain(deny).json,
        ]
    }
}

/// An option of a select or a checkbox group.
public struct Option: Sendable, Equatable {
    public var text: String
    public var value: String
    public var description: String?
    /// Text and description as mrkdwn (mentions, dates): Slack allows it in checkboxes and radio
    /// buttons only.
    public var markdown: Bool

    public init(_ text: String, value: String, description: String? = nil, markdown: Bool = false) {
        self.text = text
        self.value = value
        self.description = description
        self.markdown = markdown
    }

    public var json: JSONValue {
        func text(_ string: String) -> JSONValue { markdown ? Text.markdown(string).json : Text.plain(string).json }
        var object: [String: JSONValue] = ["text": text(self.text), "value": .string(value)]
        if let description { object["description"] = text(description) }
        return .object(object)
    }
}
