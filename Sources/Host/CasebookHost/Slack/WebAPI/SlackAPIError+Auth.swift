import CasebookKit

extension SlackAPIError {
    /// Error codes after which retrying with the same token cannot succeed: the token or the
    /// installation is gone (reference/slack.md §1.1, the Node SDK's unrecoverable start errors).
    public static let unrecoverableAuthCodes: Set<String> = [
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
        "team_disabled", "user_removed_from_team",
    ]

    /// Whether the token is unusable: the Socket Mode service stops reconnecting and start-up fails.
    public var isUnrecoverableAuth: Bool { Self.unrecoverableAuthCodes.contains(code) }

    /// Whether Slack refused the call for rate limiting (after the client's own retries).
    public var isRateLimited: Bool { code == "ratelimited" || code == "rate_limited" }
}
