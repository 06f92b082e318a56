import CasebookKit

/// Why the Socket Mode service stopped instead of reconnecting.
public enum SocketModeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `apps.connections.open` answered with an auth error that no retry can fix (bad or revoked
    /// app token, deactivated workspace, …). Carries Slack's error code.
    case unrecoverableAuth(code: String)
    /// Slack sent `disconnect` with `link_disabled`: Socket Mode was switched off for the app.
    case linkDisabled

    /// Error codes from `apps.connections.open` after which retrying is pointless (the Node SDK's
    /// list plus token lifecycle codes).
    static let unrecoverableOpenCodes: Set<String> = [
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
        "team_disabled", "user_removed_from_team",
    ]

    public var description: String {
        switch self {
        case .unrecoverableAuth(let code):
            "Socket Mode stopped: apps.connections.open failed with \(code); check the app-level token (xapp-…, scope connections:write)"
        case .linkDisabled:
            "Socket Mode stopped: Slack reports link_disabled (Socket Mode is switched off in the app configuration)"
        }
    }
}
