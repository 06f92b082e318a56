import CasebookKit
import Foundation

/// What Slack does with an app's answers that do not go through the Web API: immediate replies
/// to slash commands (ack payload or HTTP body), `response_url` posts, and `response_action`s
/// of view submissions (reference/slack.md §2.6, §3.4).
extension WorkspaceState {
    /// Where a message reply lands.
    struct ReplyTarget {
        var channel: String
        var user: String
        var messageTS: String?
        var messageIsEphemeral: Bool
    }

    /// Applies a message body (`text`, `blocks`, `response_type`, `replace_original`, `delete_original`).
    mutating func applyMessageReply(_ body: JSONValue, to target: ReplyTarget, now: Date) throws {
        if body["delete_original"]?.bool == true {
            guard let ts = target.messageTS else { throw APIError("no_original_message") }
            if target.messageIsEphemeral {
                ephemerals.removeAll { $0.ts == ts && $0.user == target.user }
            } else {
                messages[target.channel]?.removeAll { $0.ts == ts }
            }
            return
        }
        let posted: [JSONValue]
        if let text = body["blocks"]?.string {
            posted = (try? JSONValue.decode(text))?.array ?? []
        } else {
            posted = body["blocks"]?.array ?? []
        }
        let problems = BlockValidation.problems(posted, surface: .message, pointer: "/blocks")
        if !problems.isEmpty { throw APIError.withMessages("invalid_blocks", problems) }
        let text = body["text"]?.string ?? ""
        if text.isEmpty && posted.isEmpty { throw APIError("no_text") }
        let blocks = BlockValidation.assignBlockIDs(posted, state: &self)
        if body["replace_original"]?.bool == true {
            guard let ts = target.messageTS else { throw APIError("no_original_message") }
            if target.messageIsEphemeral {
                if let index = ephemerals.firstIndex(where: { $0.ts == ts && $0.user == target.user }) {
                    ephemerals[index].text = text
                    ephemerals[index].blocks = blocks
                }
            } else {
                let bot = botUserID
                let editTS = nextTS(now)
                _ = updateMessage(channel: target.channel, ts: ts) { message in
                    message.text = text
                    message.blocks = blocks
                    message.edited = .init(user: bot, ts: editTS)
                }
            }
            return
        }
        let threadTS = body["thread_ts"]?.string
        if body["response_type"]?.string == "in_channel" {
            append(StoredMessage(
                channel: target.channel, ts: nextTS(now), user: botUserID, botID: workspace.botID, appID: workspace.appID,
                text: text, blocks: blocks, threadTS: threadTS))
        } else {
            ephemerals.append(EphemeralMessage(channel: target.channel, user: target.user, ts: nextTS(now), text: text, blocks: blocks, threadTS: threadTS))
        }
    }

    /// Applies the answer to a `view_submission`: none closes the submitted view, `errors` shows
    /// field errors, `update` replaces it, `push` pushes a new one, `clear` closes the stack.
    mutating func applyViewResponse(_ body: JSONValue?, user: String, viewID: String, now: Date) {
        let action = body?["response_action"]?.string
        switch action {
        case "errors":
            var errors: [String: String] = [:]
            for (key, value) in body?["errors"]?.object ?? [:] { errors[key] = value.string ?? "" }
            views[viewID]?.errors = errors
        case "update":
            if let definition = body?["view"] {
                let hash = "\(Int(now.timeIntervalSince1970)).\(nextSecret(8))"
                let withIDs = ViewsAPI.withBlockIDs(definition, &self)
                views[viewID]?.replace(with: withIDs, hash: hash)
            }
        case "push":
            if let definition = body?["view"] { _ = ViewsAPI.pushView(&self, user: user, definition: definition, now: now) }
        case "clear":
            closeViews(user: user, all: true)
        default:
            closeViews(user: user, all: false, viewID: viewID)
        }
    }

    /// Closes the top view (or `viewID` and everything above it), or the whole stack.
    mutating func closeViews(user: String, all: Bool, viewID: String? = nil) {
        var stack = viewStacks[user] ?? []
        let keep: Int
        if all {
            keep = 0
        } else if let viewID, let index = stack.firstIndex(of: viewID) {
            keep = index
        } else {
            keep = max(0, stack.count - 1)
        }
        for id in stack[keep...] {
            if let view = views[id] { closedViews.append(view) }
            views[id] = nil
        }
        stack.removeSubrange(keep...)
        viewStacks[user] = stack.isEmpty ? nil : stack
    }
}
