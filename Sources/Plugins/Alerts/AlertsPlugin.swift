import CasebookKit
import CasesPlugin

/// Grafana OnCall and Alertmanager webhooks open cases: a firing alert group becomes one case for
/// its lifetime (an incident at once when `escalate_when` matches), repeats add at most a threaded
/// note, and its resolution is told in the channel.
///
/// The webhook only authenticates, parses, stores the delivery and schedules a durable job, so the
/// sender hears 202 fast and a crash after it still opens the case.
public struct AlertsPlugin: Plugin {
    public static let id = "alerts"
    public static let summary = "Grafana OnCall and Alertmanager webhooks open cases and assemble the war room"

    /// `chat:write` for the alert messages, `usergroups:read` for group responders; the channel
    /// itself is made by the Cases plugin with its scopes.
    public static var requirements: Requirements {
        Requirements(scopes: ["chat:write"], dependencies: [CasesPlugin.id], requiredConfigKeys: ["token"])
    }

    public static var migrations: [Migration] { Schema.migrations }

    static let handle = JobKey<AlertNotice>("handle")

    public let configuration: Configuration

    public init(configuration: Configuration, context: PluginContext) async throws {
        self.configuration = configuration
    }

    public func register(_ routes: inout Routes<AlertsPlugin>) {
        routes.webhook(.post, "grafana-oncall", authentication: oncallAuthentication, maxBodySize: 1 << 20) { plugin, request, context in
            try await plugin.accept(GrafanaOnCallPayload.notice(from: try request.jsonObject()), context)
        }
        routes.webhook(.post, "alertmanager", authentication: tokenAuthentication, maxBodySize: 1 << 20) { plugin, request, context in
            try await plugin.accept(AlertmanagerPayload.notice(from: try request.jsonObject()), context)
        }
        routes.job(Self.handle, use: AlertsPlugin.handle)
    }

    /// The token as a Bearer token or a Basic password.
    var tokenAuthentication: WebhookAuthentication {
        .anyOf([.bearer(configuration.token), .basic(password: configuration.token)])
    }

    /// The token and, with `hmac_secret`, the signature of a signing proxy as well.
    var oncallAuthentication: WebhookAuthentication {
        guard let secret = configuration.hmacSecret else { return tokenAuthentication }
        return .allOf([tokenAuthentication, .hmacSHA256(secret: secret, header: "X-Grafana-OnCall-Signature")])
    }
}
