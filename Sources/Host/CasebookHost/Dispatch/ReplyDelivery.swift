import CasebookKit

/// Turns a handler's ``Reply`` (checked against Block Kit limits by the dispatcher) into what Slack expects for that kind of invocation: an ack body
/// when the reply is ready within the ack budget, otherwise a `response_url` post or a Web API call.
struct ReplyDelivery: Sendable {
    let slack: any SlackAPI
    let responder: any ResponseURLPosting
    let logger: Logger
    /// The title of the modal that answers where no channel is (the app's name).
    var noticeTitle = "Casebook"

    /// Whether this reply travels in the ack itself (slash command messages and view submission
    /// responses); everything else is delivered by a Web API call or `response_url` post.
    static func ackCarries(_ reply: Reply, _ invocation: Invocation) -> Bool {
        switch (reply, invocation) {
        case (.ack, _), (.ephemeral, .command), (.inChannel, .command): return true
        case (.ephemeral, .viewSubmission), (.inChannel, .viewSubmission): return true
        case (.viewErrors, .viewSubmission), (.updateModal, .viewSubmission), (.pushModal, .viewSubmission),
            (.closeAllModals, .viewSubmission):
            return true
        default: return false
        }
    }

    /// The ack body of a reply for which ``ackCarries(_:_:)`` holds. A message answering a modal's
    /// submission replaces the modal: it has no channel, and the answer stays private.
    static func ackBody(for reply: Reply, to invocation: Invocation, noticeTitle: String = "Casebook") -> JSONValue? {
        switch (reply, invocation) {
        case (.ephemeral(let message), .viewSubmission), (.inChannel(let message), .viewSubmission):
            return ["response_action": "update", "view": NoticeView.make(message, title: noticeTitle).json]
        default: break
        }
        switch reply {
        case .ephemeral(let message): return messageBody(message, responseType: "ephemeral")
        case .inChannel(let message): return messageBody(message, responseType: "in_channel")
        case .viewErrors(let errors): return ["response_action": "errors", "errors": .object(errors.mapValues { .string($0) })]
        case .updateModal(let view): return ["response_action": "update", "view": view.json]
        case .pushModal(let view): return ["response_action": "push", "view": view.json]
        case .closeAllModals: return ["response_action": "clear"]
        default: return nil
        }
    }

    /// Delivers a reply outside the ack: after the budget ran out, or for kinds whose ack carries no message.
    func deliver(_ reply: Reply, to invocation: Invocation) async {
        do {
            switch reply {
            case .ack:
                return
            case .ephemeral(let message):
                try await postMessage(message, responseType: "ephemeral", to: invocation)
            case .inChannel(let message):
                try await postMessage(message, responseType: "in_channel", to: invocation)
            case .replaceOriginal(let message):
                if let url = invocation.responseURL {
                    var body = Self.messageBody(message, responseType: "in_channel")
                    body = body.merging(["replace_original": true])
                    try await responder.post(url, body: body)
                } else if case .blockAction(let action) = invocation, let channel = action.channelID, let ts = action.messageTS {
                    try await slack.updateMessage(MessageRef(channel: channel, ts: ts), message)
                }
            case .openModal(let view):
                guard let trigger = invocation.triggerID else { throw MissingTrigger() }
                try await slack.openView(triggerID: trigger, view)
            case .pushModal(let view):
                guard let trigger = invocation.triggerID else { throw MissingTrigger() }
                try await slack.pushView(triggerID: trigger, view)
            case .updateModal(let view):
                guard case .blockAction(let action) = invocation, let viewID = action.viewID else {
                    logger.warning("a modal update arrived too late to be shown", metadata: ["invocation": "\(invocation.label)"])
                    return
                }
                try await slack.updateView(id: viewID, view)
            case .viewErrors, .closeAllModals:
                logger.warning("a view submission reply arrived after the ack and cannot be shown", metadata: ["invocation": "\(invocation.label)"])
            }
        } catch {
            logger.error("could not deliver a reply", metadata: ["invocation": "\(invocation.label)", "error": "\(error)"])
        }
    }

    /// Messages go to the `response_url` when there is one, else as an ephemeral message next to
    /// the clicked message, else in a modal only the actor sees: global shortcuts, modals and the
    /// Home tab have no channel, and an answer is never a direct message or a channel post.
    private func postMessage(_ message: Message, responseType: String, to invocation: Invocation) async throws {
        if let url = invocation.responseURL {
            try await responder.post(url, body: Self.messageBody(message, responseType: responseType))
            return
        }
        guard let user = invocation.userID, !user.isEmpty else { return }
        let notice = NoticeView.make(message, title: noticeTitle)
        switch invocation {
        case .blockAction(let action):
            if let channel = action.channelID {
                try await slack.postEphemeral(channel: channel, user: user, message)
            } else if let trigger = action.triggerID {
                // On top of the modal clicked in; a Home tab has no stack to push onto.
                do {
                    _ = try await slack.pushView(triggerID: trigger, notice)
                } catch is SlackAPIError {
                    _ = try await slack.openView(triggerID: trigger, notice)
                }
            }
        case .viewSubmission(let view):
            // Too late for the ack's `response_action`: the submitted modal shows the answer instead.
            try await slack.updateView(id: view.viewID, notice)
        default:
            guard let trigger = invocation.triggerID else {
                logger.warning("an answer had nowhere private to go", metadata: ["invocation": "\(invocation.label)"])
                return
            }
            _ = try await slack.openView(triggerID: trigger, notice)
        }
    }

    static func messageBody(_ message: Message, responseType: String) -> JSONValue {
        var body = message.json
        body["response_type"] = .string(responseType)
        return .object(body)
    }

    struct MissingTrigger: Error, CustomStringConvertible {
        var description: String { "this invocation carries no trigger_id, so no modal can be opened" }
    }
}

extension JSONValue {
    /// This object with `other`'s keys added or replaced.
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard case .object(var object) = self else { return self }
        for (key, value) in other { object[key] = value }
        return .object(object)
    }
}
