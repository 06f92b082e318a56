import CasebookKit
import Foundation
import Synchronization

/// One clickable or fillable element of a rendering, numbered for the playground's `:click N`.
public struct InteractiveElement: Sendable, Equatable {
    public enum Location: Sendable, Equatable {
        case message(channel: String, ts: String)
        case view(id: String)
    }

    public struct Choice: Sendable, Equatable {
        public var text: String
        public var value: String
    }

    /// 1-based position in the rendering.
    public var number: Int
    public var location: Location
    public var blockID: String?
    public var actionID: String
    /// Block Kit element type (`button`, `static_select`, `users_select`, `plain_text_input`, …).
    public var type: String
    public var label: String
    /// A button's value.
    public var value: String?
    /// A select's options.
    public var options: [Choice]
    /// True for an element of an `input` block (filled in, then submitted with the view).
    public var isInput: Bool
}

/// Text plus the numbered elements it shows.
public struct Rendering: Sendable, Equatable {
    public var text: String
    public var elements: [InteractiveElement]

    /// The element shown as `[number]`.
    public func element(_ number: Int) -> InteractiveElement? {
        elements.first { $0.number == number }
    }
}

/// Renders conversations and modals as plain text for the playground console.
struct Renderer {
    var state: WorkspaceState
    private(set) var elements: [InteractiveElement] = []
    private(set) var lines: [String] = []

    init(state: WorkspaceState) {
        self.state = state
    }

    mutating func channel(_ conversation: Conversation, viewer: String?) {
        var header = conversation.isIM ? "DM \(conversation.id) with @\(name(of: conversation.imUser ?? ""))" : "#\(conversation.name) (\(conversation.id))"
        if conversation.isArchived { header += " [archived]" }
        lines.append(header)
        if !conversation.topic.value.isEmpty { lines.append("  topic: \(conversation.topic.value)") }
        if !conversation.purpose.value.isEmpty { lines.append("  purpose: \(conversation.purpose.value)") }
        if !conversation.bookmarks.isEmpty {
            lines.append("  bookmarks: " + conversation.bookmarks.map { "\($0.title) <\($0.link)>" }.joined(separator: " · "))
        }
        lines.append("  members: " + conversation.members.map { "@" + name(of: $0) }.joined(separator: " "))
        lines.append(String(repeating: "─", count: 60))
        var entries: [(ts: String, render: (inout Renderer) -> Void)] = []
        for message in state.messages[conversation.id] ?? [] {
            entries.append((message.ts, { renderer in renderer.message(message, pinned: conversation.pins.contains(message.ts)) }))
        }
        if let viewer = viewer.flatMap({ state.user($0)?.id }) {
            for ephemeral in state.ephemerals where ephemeral.channel == conversation.id && ephemeral.user == viewer {
                entries.append((ephemeral.ts, { renderer in renderer.ephemeral(ephemeral) }))
            }
        }
        if entries.isEmpty { lines.append("  (no messages)") }
        for entry in entries.sorted(by: { $0.ts < $1.ts }) { entry.render(&self) }
    }

    mutating func message(_ message: StoredMessage, pinned: Bool) {
        var author = "@" + name(of: message.user)
        if message.botID != nil { author += " (app)" }
        var heading = "\(message.ts)  \(author)"
        if let thread = message.threadTS, thread != message.ts { heading = "  ↳ in thread \(thread)  " + heading }
        if message.edited != nil { heading += " (edited)" }
        if pinned { heading += " 📌" }
        lines.append(heading)
        body(text: message.text, blocks: message.blocks, location: .message(channel: message.channel, ts: message.ts), indent: "    ")
        if !message.reactions.isEmpty {
            lines.append("    " + message.reactions.map { ":\($0.name): \($0.users.count)" }.joined(separator: "  "))
        }
        if !message.files.isEmpty {
            lines.append("    files: " + message.files.map { id in state.files[id].map { "\($0.title) (\($0.data?.count ?? 0) bytes)" } ?? id }.joined(separator: ", "))
        }
    }

    mutating func ephemeral(_ message: EphemeralMessage) {
        lines.append("\(message.ts)  (only visible to you) @\(state.workspace.botName)")
        body(text: message.text, blocks: message.blocks, location: .message(channel: message.channel, ts: message.ts), indent: "    ")
    }

    mutating func modal(_ view: StoredView, depth: Int) {
        lines.append("┌ \(view.titleText) (\(view.id)\(depth > 1 ? ", \(depth) views open" : ""))")
        body(text: "", blocks: view.blocks, location: .view(id: view.id), indent: "│ ", values: view.values, errors: view.errors)
        var buttons: [String] = []
        if let close = view.close?["text"]?.string { buttons.append("[\(close)]") }
        if let submit = view.submit?["text"]?.string { buttons.append("[\(submit) ⏎]") }
        lines.append("└ " + buttons.joined(separator: " "))
    }

    mutating func home(_ view: StoredView) {
        lines.append("┌ Home (\(view.id))")
        body(text: "", blocks: view.blocks, location: .view(id: view.id), indent: "│ ")
        lines.append("└")
    }

    private mutating func body(
        text: String, blocks: [JSONValue], location: InteractiveElement.Location, indent: String,
        values: [String: [String: JSONValue]] = [:], errors: [String: String] = [:]
    ) {
        if blocks.isEmpty {
            for line in mrkdwn.plain(text).split(separator: "\n", omittingEmptySubsequences: false) { lines.append(indent + line) }
            return
        }
        for block in blocks {
            let blockID = block["block_id"]?.string
            switch block["type"]?.string {
            case "header":
                lines.append(indent + "▌" + (block["text"]?["text"]?.string ?? "").uppercased())
            case "section":
                if let text = block["text"].flatMap(textObject) {
                    for line in text.split(separator: "\n", omittingEmptySubsequences: false) { lines.append(indent + line) }
                }
                columns((block["fields"]?.array ?? []).compactMap(textObject), indent: indent)
                if let accessory = block["accessory"], accessory["action_id"] != nil {
                    lines.append(indent + "  " + control(ElementLookup.Found(blockID: blockID, element: accessory, optional: true), location: location))
                }
            case "context":
                let parts = (block["elements"]?.array ?? []).compactMap { textObject($0) ?? $0["alt_text"]?.string }
                lines.append(indent + "› " + parts.joined(separator: " · "))
            case "divider":
                lines.append(indent + String(repeating: "┄", count: 30))
            case "actions":
                let controls = (block["elements"]?.array ?? []).map {
                    control(ElementLookup.Found(blockID: blockID, element: $0, optional: true), location: location)
                }
                lines.append(indent + controls.joined(separator: "   "))
            case "input":
                guard let element = block["element"] else { continue }
                let found = ElementLookup.Found(
                    blockID: blockID, element: element, inputLabel: block["label"]?["text"]?.string,
                    optional: block["optional"]?.bool ?? false)
                var line = control(found, location: location)
                if let actionID = element["action_id"]?.string, let current = blockID.flatMap({ values[$0]?[actionID] }) {
                    line += " = " + describe(current)
                }
                lines.append(indent + line)
                if let blockID, let error = errors[blockID] { lines.append(indent + "  ⚠ " + error) }
            case "image":
                lines.append(indent + "[image: \(block["alt_text"]?.string ?? "")]")
            default:
                lines.append(indent + "[\(block["type"]?.string ?? "block")]")
            }
        }
    }

    private mutating func control(_ found: ElementLookup.Found, location: InteractiveElement.Location) -> String {
        let element = found.element
        let type = element["type"]?.string ?? "?"
        let number = elements.count + 1
        let options = ElementLookup.options(of: element).map {
            InteractiveElement.Choice(text: $0["text"]?["text"]?.string ?? "", value: $0["value"]?.string ?? "")
        }
        let label = ElementLookup.label(found)
        elements.append(InteractiveElement(
            number: number, location: location, blockID: found.blockID, actionID: element["action_id"]?.string ?? "",
            type: type, label: label, value: element["value"]?.string, options: options, isInput: found.inputLabel != nil))
        switch type {
        case "button":
            let style = element["style"]?.string.map { " (\($0))" } ?? ""
            return "[\(number)] \(label)\(style)"
        case "checkboxes":
            // One box per line, ticked or not; `:click N <box>` toggles one.
            let ticked = Set((element["initial_options"]?.array ?? []).compactMap { $0["value"]?.string })
            let boxes = ElementLookup.options(of: element).enumerated().map { index, option in
                let mark = ticked.contains(option["value"]?.string ?? "") ? "☑" : "☐"
                let text = option["text"].flatMap(textObject) ?? ""
                let description = option["description"].flatMap(textObject).map { " — \($0)" } ?? ""
                return "     \(mark) \(index + 1). \(text)\(description)"
            }
            return (["[\(number)] checkboxes (click \(number) <box> ticks or unticks)"] + boxes).joined(separator: "\n")
        case "static_select", "multi_static_select", "overflow", "radio_buttons":
            let choices = options.map(\.text).joined(separator: ", ")
            return "[\(number)] ▾ \(label)" + (choices.isEmpty ? "" : " (\(choices))") + (found.optional ? "" : " *")
        case "users_select", "multi_users_select", "conversations_select", "channels_select":
            return "[\(number)] ▾ \(label) (\(type.replacingOccurrences(of: "_", with: " ")))" + (found.optional ? "" : " *")
        case "plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input":
            return "[\(number)] ✎ \(label)" + (found.optional ? "" : " *")
        default:
            return "[\(number)] \(label) (\(type))"
        }
    }

    private func describe(_ value: JSONValue) -> String {
        if let text = value["value"]?.string { return "\"\(text)\"" }
        if let option = value["selected_option"]?["text"]?["text"]?.string { return option }
        if let user = value["selected_user"]?.string { return "@" + name(of: user) }
        if let users = value["selected_users"]?.array { return users.compactMap(\.string).map { "@" + name(of: $0) }.joined(separator: ", ") }
        if let conversation = value["selected_conversation"]?.string ?? value["selected_channel"]?.string { return conversation }
        if let date = value["selected_date"]?.string { return date }
        return "—"
    }

    private func name(of user: String) -> String { state.users[user]?.name ?? user }

    private var mrkdwn: MrkdwnText { MrkdwnText(state: state) }

    /// A text object as Slack shows it: mrkdwn rendered, plain text as is.
    private func textObject(_ object: JSONValue) -> String? {
        guard let text = object["text"]?.string else { return nil }
        return object["type"]?.string == "mrkdwn" ? mrkdwn.plain(text) : text
    }

    /// Width of the left column of section fields, which Slack lays out two to a row.
    static let fieldColumnWidth = 32

    /// Section fields in two columns, line by line (a field is often "*Label*\nvalue").
    private mutating func columns(_ fields: [String], indent: String) {
        for start in stride(from: 0, to: fields.count, by: 2) {
            let left = fields[start].split(separator: "\n", omittingEmptySubsequences: false)
            let right = start + 1 < fields.count ? fields[start + 1].split(separator: "\n", omittingEmptySubsequences: false) : []
            for row in 0..<max(left.count, right.count) {
                let leftText = row < left.count ? String(left[row]) : ""
                guard row < right.count, !right[row].isEmpty else {
                    lines.append(indent + leftText)
                    continue
                }
                let width = max(Self.fieldColumnWidth, leftText.count + 2)
                lines.append(indent + leftText.padding(toLength: width, withPad: " ", startingAt: 0) + right[row])
            }
        }
    }

    var rendering: Rendering { Rendering(text: lines.joined(separator: "\n"), elements: elements) }
}

/// Rendering for the playground.
extension SlackSimulator {
    /// A conversation as text (messages oldest first, blocks rendered, elements numbered), with
    /// `viewer`'s ephemeral messages interleaved. Remembered for ``element(_:)``.
    public func rendering(channel: String, viewer: String? = nil) -> Rendering {
        let result: Rendering = store.withState { state in
            guard let conversation = state.conversation(channel) else {
                return Rendering(text: "no such channel: \(channel)", elements: [])
            }
            var renderer = Renderer(state: state)
            renderer.channel(conversation, viewer: viewer)
            return renderer.rendering
        }
        lastRendering.withLock { $0 = result }
        return result
    }

    public func render(channel: String, viewer: String? = nil) -> String {
        rendering(channel: channel, viewer: viewer).text
    }

    /// The top modal of a user as text, inputs numbered; nil when no modal is open.
    public func renderingOfModal(for user: String) -> Rendering? {
        let result: Rendering? = store.withState { state in
            guard let id = state.user(user)?.id, let stack = state.viewStacks[id], let top = stack.last, let view = state.views[top] else { return nil }
            var renderer = Renderer(state: state)
            renderer.modal(view, depth: stack.count)
            return renderer.rendering
        }
        if let result { lastRendering.withLock { $0 = result } }
        return result
    }

    public func renderModal(for user: String) -> String? { renderingOfModal(for: user)?.text }

    /// Element number `n` of the last rendering (channel or modal).
    public func element(_ number: Int) -> InteractiveElement? {
        lastRendering.withLock { $0?.element(number) }
    }
}

extension SlackSimulator {
    /// `mrkdwn` as the Slack client shows it (`<@U0ALICE>` → `@alice`, dates, links), for one-line
    /// replies printed outside a channel rendering.
    public func plainText(_ mrkdwn: String) -> String {
        store.withState { state in MrkdwnText(state: state).plain(mrkdwn) }
    }
}
