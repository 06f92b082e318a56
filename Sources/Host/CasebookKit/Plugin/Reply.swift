/// What a handler answers. The host turns it into the Socket Mode ack payload, the HTTP response
/// body, a `response_url` post, or a `views.*` call, whichever the invocation allows.
public enum Reply: Sendable, Equatable {
    /// Acknowledge with nothing to show.
    case ack
    /// A message only the invoking user sees.
    case ephemeral(Message)
    /// A message everyone in the channel sees.
    case inChannel(Message)
    /// Replace the message the interaction came from (block actions on messages).
    case replaceOriginal(Message)
    /// Open a modal with the invocation's `trigger_id`.
    case openModal(View)
    /// Push a modal onto the stack with the invocation's `trigger_id`.
    case pushModal(View)
    /// Replace the submitted modal (view submissions).
    case updateModal(View)
    /// Field errors shown under the input blocks, keyed by `block_id` (view submissions).
    case viewErrors([String: String])
    /// Close every modal in the stack (view submissions).
    case closeAllModals

    public static func ephemeral(_ text: String) -> Reply { .ephemeral(Message(text)) }
    public static func inChannel(_ text: String) -> Reply { .inChannel(Message(text)) }

    /// Checks the message or view against Slack's Block Kit limits.
    public func validate() throws {
        switch self {
        case .ephemeral(let message), .inChannel(let message), .replaceOriginal(let message): try message.validate()
        case .openModal(let view), .pushModal(let view), .updateModal(let view): try view.validate()
        case .ack, .viewErrors, .closeAllModals: return
        }
    }

    /// The text of a message reply, for logs and tests.
    public var text: String? {
        switch self {
        case .ephemeral(let message), .inChannel(let message), .replaceOriginal(let message): return message.text
        default: return nil
        }
    }
}

/// A usage or validation failure the user can fix: the dispatcher shows it as an ephemeral message
/// without logging an error or a correlation id.
public struct UserFacingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
