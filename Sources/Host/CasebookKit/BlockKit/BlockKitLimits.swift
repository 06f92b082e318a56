/// Slack's Block Kit limits (reference/slack.md §7), checked before a message or view is sent.
public enum BlockKitLimits {
    public static let blocksPerMessage = 50
    public static let blocksPerModal = 100
    public static let sectionText = 3000
    public static let sectionFields = 10
    public static let fieldText = 2000
    public static let identifier = 255
    public static let actionsElements = 25
    public static let contextElements = 10
    public static let headerText = 150
    public static let inputLabel = 2000
    public static let buttonText = 75
    public static let buttonValue = 2000
    public static let confirmTitle = 100
    public static let confirmText = 300
    public static let confirmButton = 30
    public static let selectOptions = 100
    /// Options of a checkbox group.
    public static let checkboxOptions = 10
    public static let placeholder = 150
    public static let optionText = 75
    public static let optionValue = 75
    public static let optionDescription = 75
    public static let viewTitle = 24
    public static let privateMetadata = 3000
    public static let messageText = 40000

    public enum Surface: Sendable { case message, modal }

    public static func validate(blocks: [Block], surface: Surface) throws {
        let maximum = surface == .message ? blocksPerMessage : blocksPerModal
        if blocks.count > maximum {
            throw BlockKitError(path: "blocks", problem: "has \(blocks.count) blocks; Slack allows \(maximum) per \(surface == .message ? "message" : "modal")")
        }
        if surface == .modal && blocks.isEmpty {
            throw BlockKitError(path: "blocks", problem: "is empty; a modal needs at least one block")
        }
        var blockIDs = Set<String>()
        for (index, block) in blocks.enumerated() {
            let path = "blocks[\(index)]"
            if let id = blockID(of: block) {
                try check(id, max: identifier, path: "\(path).block_id", allowEmpty: false)
                if !blockIDs.insert(id).inserted {
                    throw BlockKitError(path: "\(path).block_id", problem: "'\(id)' is used twice; block ids must be unique")
                }
            }
            try validate(block, path: path, surface: surface)
        }
    }

    static func blockID(of block: Block) -> String? {
        switch block {
        case .section(_, _, _, let id), .actions(_, let id), .context(_, let id), .header(_, let id): return id
        case .input(_, _, let id, _, _): return id
        case .divider: return nil
        }
    }

    static func validate(_ block: Block, path: String, surface: Surface) throws {
        switch block {
        case .section(let text, let fields, let accessory, _):
            try check(text.string, max: sectionText, path: "\(path).text", allowEmpty: false)
            if fields.count > sectionFields {
                throw BlockKitError(path: "\(path).fields", problem: "has \(fields.count) fields; at most \(sectionFields)")
            }
            for (index, field) in fields.enumerated() {
                try check(field.string, max: fieldText, path: "\(path).fields[\(index)]", allowEmpty: false)
            }
            if let accessory { try validate(accessory, path: "\(path).accessory") }
        case .actions(let elements, _):
            if elements.isEmpty || elements.count > actionsElements {
                throw BlockKitError(path: "\(path).elements", problem: "has \(elements.count) elements; 1 to \(actionsElements)")
            }
            var actionIDs = Set<String>()
            for (index, element) in elements.enumerated() {
                try validate(element, path: "\(path).elements[\(index)]")
                if !actionIDs.insert(element.actionID).inserted {
                    throw BlockKitError(path: "\(path).elements[\(index)].action_id", problem: "'\(element.actionID)' is used twice in one block")
                }
            }
        case .context(let elements, _):
            if elements.isEmpty || elements.count > contextElements {
                throw BlockKitError(path: "\(path).elements", problem: "has \(elements.count) elements; 1 to \(contextElements)")
            }
            for (index, element) in elements.enumerated() {
                try check(element.string, max: sectionText, path: "\(path).elements[\(index)]", allowEmpty: false)
            }
        case .divider:
            break
        case .header(let text, _):
            try check(text, max: headerText, path: "\(path).text", allowEmpty: false)
        case .input(let label, let element, _, _, let hint):
            if surface == .message {
                throw BlockKitError(path: path, problem: "input blocks belong in modals, not messages")
            }
            try check(label, max: inputLabel, path: "\(path).label", allowEmpty: false)
            if let hint { try check(hint, max: inputLabel, path: "\(path).hint") }
            try validate(element, path: "\(path).element")
        }
    }

    static func validate(_ element: Element, path: String) throws {
        try check(element.actionID, max: identifier, path: "\(path).action_id", allowEmpty: false)
        switch element {
        case .button(let button):
            try check(button.text, max: buttonText, path: "\(path).text", allowEmpty: false)
            if let value = button.value { try check(value, max: buttonValue, path: "\(path).value") }
            if let confirm = button.confirm {
                try check(confirm.title, max: confirmTitle, path: "\(path).confirm.title", allowEmpty: false)
                try check(confirm.text, max: confirmText, path: "\(path).confirm.text", allowEmpty: false)
                try check(confirm.confirm, max: confirmButton, path: "\(path).confirm.confirm", allowEmpty: false)
                try check(confirm.deny, max: confirmButton, path: "\(path).confirm.deny", allowEmpty: false)
            }
        case .staticSelect(_, let placeholderText, let options, _):
            try check(placeholderText, max: placeholder, path: "\(path).placeholder", allowEmpty: false)
            if options.isEmpty || options.count > selectOptions {
                throw BlockKitError(path: "\(path).options", problem: "has \(options.count) options; 1 to \(selectOptions)")
            }
            for (index, option) in options.enumerated() {
                try check(option.text, max: optionText, path: "\(path).options[\(index)].text", allowEmpty: false)
                try check(option.value, max: optionValue, path: "\(path).options[\(index)].value", allowEmpty: false)
            }
        case .checkboxes(_, let options, let initial):
            if options.isEmpty || options.count > checkboxOptions {
                throw BlockKitError(path: "\(path).options", problem: "has \(options.count) options; 1 to \(checkboxOptions)")
            }
            for (index, option) in options.enumerated() {
                try check(option.text, max: optionText, path: "\(path).options[\(index)].text", allowEmpty: false)
                try check(option.value, max: optionValue, path: "\(path).options[\(index)].value", allowEmpty: false)
                if let description = option.description {
                    try check(description, max: optionDescription, path: "\(path).options[\(index)].description", allowEmpty: false)
                }
            }
            if let stray = initial.firstIndex(where: { !options.contains($0) }) {
                throw BlockKitError(path: "\(path).initial_options[\(stray)]", problem: "is not one of the options")
            }
        case .usersSelect(_, let placeholderText, _):
            try check(placeholderText, max: placeholder, path: "\(path).placeholder", allowEmpty: false)
        case .textInput(_, _, let placeholderText, _, _):
            if let placeholderText { try check(placeholderText, max: placeholder, path: "\(path).placeholder") }
        }
    }

    static func check(_ text: String, max: Int, path: String, allowEmpty: Bool = true) throws {
        if !allowEmpty && text.isEmpty {
            throw BlockKitError(path: path, problem: "is empty")
        }
        // Counting characters walks grapheme clusters; there are never more of them than UTF-8 bytes.
        if text.utf8.count > max, text.count > max {
            throw BlockKitError(path: path, problem: "is \(text.count) characters; at most \(max)")
        }
    }
}

/// A layout that Slack would reject, with the path of the offending field.
public struct BlockKitError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var problem: String
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    public var description: String { "Block Kit: \(path) \(problem)" }
}
