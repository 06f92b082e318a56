import NIOWebSocket

/// Why a Socket Mode WebSocket could not be opened or was dropped by this client. Any of them
/// ends the socket with an error, and its slot reconnects with backoff.
enum SocketLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered the upgrade request with something other than `101` (Slack answers a
    /// reused or expired ticket with an HTTP error).
    case upgradeDeclined(host: String)
    /// A ping went unanswered for a whole ping interval: the connection is presumed dead.
    case pingUnanswered
    /// The server broke the WebSocket protocol (e.g. a message over the size limit); the client
    /// sent a close frame with `code` and dropped the connection.
    case protocolViolation(code: WebSocketErrorCode, reason: String)
    /// A frame was written after the close frame went out, or after the connection closed.
    case closed

    var description: String {
        switch self {
        case .upgradeDeclined(let host): "the WebSocket upgrade at \(host) was declined"
        case .pingUnanswered: "no answer to a WebSocket ping within the ping interval"
        case .protocolViolation(let code, let reason): "WebSocket protocol violation (\(code)): \(reason)"
        case .closed: "the WebSocket is closed"
        }
    }
}
