import CasebookKit
import Hummingbird
import Prometheus

/// The host's HTTP surface in one router:
/// - `POST /slack/events` (also `/slack/commands`, `/slack/interactivity`): Slack HTTP mode, only
///   when `slack` is given (a signing secret is configured);
/// - `GET /healthz`: the process is alive; `GET /readyz`: the readiness probe says ready (503 and
///   its reason otherwise);
/// - `GET /metrics`: Prometheus text from `metricsRegistry`, when given, after `beforeScrape` has
///   set the gauges read from storage;
/// - `/hooks/<plugin>/**` (GET, POST, PUT, DELETE): plugin webhooks, when `webhooks` is given.
///
/// - Parameter recordRequestMetrics: adds Hummingbird's `MetricsMiddleware` (per-route request
///   counts and durations through the process-wide `MetricsSystem`).
public func makeRouter(
    slack: SlackRequestEndpoint? = nil,
    readiness: @escaping @Sendable () async -> Readiness = { .ready },
    metricsRegistry: PrometheusCollectorRegistry? = nil,
    beforeScrape: @escaping @Sendable () async -> Void = {},
    webhooks: (any WebhookRouting)? = nil,
    recordRequestMetrics: Bool = true,
    maxWebhookBodySize: Int = 1 << 20
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    if recordRequestMetrics {
        router.add(middleware: MetricsMiddleware())
    }

    router.get("/healthz") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
    }
    router.get("/readyz") { _, _ in
        let state = await readiness()
        return Response(
            status: state.isReady ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: state.isReady ? "ready" : (state.reason ?? "not ready")))
        )
    }

    if let metricsRegistry {
        router.get("/metrics") { _, _ in
            await beforeScrape()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metricsRegistry.emitToBuffer()))
            )
        }
    }

    if let slack {
        // One Request URL serves all three kinds, as Bolt does; the other two paths are aliases
        // for apps configured with separate URLs.
        for path in ["/slack/events", "/slack/commands", "/slack/interactivity"] {
            router.post(RouterPath(path), use: slack.respond)
        }
    }

    if let webhooks {
        let endpoint = WebhookEndpoint(routing: webhooks, maxBodySize: maxWebhookBodySize)
        for path in ["/hooks/:plugin", "/hooks/:plugin/**"] {
            router.get(RouterPath(path), use: endpoint.respond)
            router.post(RouterPath(path), use: endpoint.respond)
            router.put(RouterPath(path), use: endpoint.respond)
            router.delete(RouterPath(path), use: endpoint.respond)
        }
    }
    return router
}
