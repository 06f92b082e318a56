import AsyncHTTPClient
import CasebookKit
import Foundation
import NIOCore
import NIOPosix

/// When a failed Web API call may be sent again.
///
/// - **Rate limited** (HTTP 429, or `ratelimited`/`rate_limited` in the body): always retried
///   after `Retry-After`; Slack did not perform the call.
/// - **Not sent** (connection refused or unreachable, connect/TLS timeouts, no pooled
///   connection): always retried with backoff; nothing reached Slack.
/// - **Maybe performed** (HTTP 5xx; Slack's `internal_error`, `fatal_error`,
///   `service_unavailable`, `request_timeout`; a read timeout or a connection lost after the
///   request was written): retried only for methods that are safe to repeat — documented reads,
///   and the writes in ``idempotentWrites`` whose repetition converges on the same state.
///   Every other write (`chat.postMessage`, `conversations.create`, `views.open`, `files.*`, …)
///   surfaces the error instead: a duplicated message or channel is worse than a reported
///   failure, and the caller (usually a durable job) decides what to do.
enum RetryRule {
    /// Writes whose repetition leaves the same state, or answers with an "already" error the Kit's
    /// typed calls already treat as success.
    static let idempotentWrites: Set<String> = [
        "auth.test", "apps.connections.open", "chat.update", "conversations.setTopic",
        "conversations.setPurpose", "conversations.rename", "conversations.archive", "conversations.join",
        "conversations.invite", "conversations.open", "pins.add", "reactions.add", "views.update",
        "views.publish",
    ]

    /// Slack error codes in an HTTP-200 body that mean "the server failed", not "your call is wrong".
    static let serverErrorCodes: Set<String> = ["internal_error", "fatal_error", "service_unavailable", "request_timeout"]

    /// Whether the call may be repeated after it possibly reached Slack.
    static func isSafeToRepeat(_ method: String) -> Bool {
        if idempotentWrites.contains(method) { return true }
        return SlackMethodCatalog.method(method)?.isRead ?? false
    }

    /// A transport failure, with whether the request certainly never left this process.
    struct TransportFailure: Error {
        var code: String
        var notSent: Bool
    }

    static func classify(_ error: any Error) -> TransportFailure {
        if error is RequestTimedOut { return TransportFailure(code: "timeout", notSent: false) }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout,
                .httpProxyHandshakeTimeout:
                return TransportFailure(code: "connection_failed", notSent: true)
            case .readTimeout, .writeTimeout, .deadlineExceeded:
                return TransportFailure(code: "timeout", notSent: false)
            default:
                return TransportFailure(code: "connection_failed", notSent: false)
            }
        }
        if error is NIOConnectionError { return TransportFailure(code: "connection_failed", notSent: true) }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return TransportFailure(code: "connection_failed", notSent: true)
        }
        if let error = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode) {
            return TransportFailure(code: "connection_failed", notSent: true)
        }
        return TransportFailure(code: "connection_failed", notSent: false)
    }

    /// Exponential backoff with jitter: attempt 0 waits about `base`, doubling up to `cap`, each
    /// step drawn from its upper half so concurrent callers spread out.
    static func backoff(attempt: Int, base: Duration, cap: Duration) -> Duration {
        let ceiling = min(cap.seconds, base.seconds * pow(2, Double(min(attempt, 30))))
        let seconds = Double.random(in: (ceiling / 2)...max(ceiling, ceiling / 2))
        return .milliseconds(Int64(seconds * 1000))
    }
}

/// The per-request budget ran out before the response was complete.
struct RequestTimedOut: Error {}
