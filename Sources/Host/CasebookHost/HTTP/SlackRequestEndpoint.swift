import CasebookKit
import Hummingbird

/// The Slack Request URL (HTTP mode): verifies the v0 signature over the raw body, answers
/// `url_verification` and `ssl_check`, drops Events API retries already handled, and hands every
/// other delivery to the dispatcher, replying with its ack body. The dispatcher answers within its
/// ack budget, which keeps this reply inside Slack's 3 seconds.
public struct SlackRequestEndpoint: Sendable {
    private let signature: SlackSignature
    private let handler: any InboundResponding
    private let dedupe: any DeliveryDedupe
    private let metrics: SlackTransportMetrics
    private let clock: any WallClock
    private let maxBodySize: Int
    private let logger: Logger

    /// - Parameters:
    ///   - signingSecret: the app's signing secret (Basic Information → App Credentials).
    ///   - dedupe: shared with Socket Mode; remembers Events API `event_id`s.
    ///   - clock: the signature window is checked against this (tests move it).
    ///   - maxBodySize: larger bodies are refused with 413 before any parsing.
    public init(
        signingSecret: String,
        handler: any InboundResponding,
        dedupe: any DeliveryDedupe = InMemoryDeliveryDedupe(),
        metrics: SlackTransportMetrics = SlackTransportMetrics(),
        clock: any WallClock = SystemClock(),
        maxBodySize: Int = 1 << 20,
        logger: Logger = Logger(label: "casebook.slack.http")
    ) {
        self.signature = SlackSignature(signingSecret: signingSecret)
        self.handler = handler
        self.dedupe = dedupe
        self.metrics = metrics
        self.clock = clock
        self.maxBodySize = maxBodySize
        self.logger = logger
    }

    /// Answers one POST.
    @Sendable public func respond(to request: Request, context: some RequestContext) async throws -> Response {
        let receivedAt = ContinuousClock.now
        let timestamp = request.headers.value(named: "x-slack-request-timestamp")
        let signatureHeader = request.headers.value(named: "x-slack-signature")
        // Unsigned, stale or malformed: refused before a byte of the body is read.
        do {
            try signature.verifyHeaders(timestamp: timestamp, signature: signatureHeader, now: clock.now())
        } catch {
            logger.warning("Rejected a request with an invalid Slack signature", metadata: ["reason": "\(error)"])
            return Response(status: .unauthorized, headers: [.connection: "close"])
        }
        var request = request
        // The signature covers the body exactly as sent: collect it before any parsing.
        let buffer = try await request.collectBody(upTo: maxBodySize)
        let body = Array(buffer.readableBytesView)
        do {
            try signature.verify(body: body, timestamp: timestamp, signature: signatureHeader, now: clock.now())
        } catch {
            logger.warning("Rejected a request with an invalid Slack signature", metadata: ["reason": "\(error)"])
            return Response(status: .unauthorized)
        }

        let parsed: SlackRequestBody
        do {
            parsed = try SlackRequestBody(body: body, contentType: request.headers[.contentType])
        } catch {
            logger.warning("Signed request with a body that is neither an event, a command nor an interaction")
            return Response(status: .badRequest)
        }

        switch parsed {
        case .urlVerification(let challenge):
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: challenge))
            )
        case .sslCheck:
            return Response(status: .ok)
        case .delivery(let kind, let payload):
            metrics.received(type: kind.rawValue, transport: .http)
            let retryAttempt = request.headers.value(named: "x-slack-retry-num").flatMap { Int($0) } ?? 0
            let eventID = kind == .eventsAPI ? payload["event_id"]?.string : nil
            if let eventID, await !dedupe.firstDelivery(key: DeliveryKey.event(eventID)) {
                metrics.duplicate(type: kind.rawValue, transport: .http)
                logger.debug("Duplicate event answered without dispatch", metadata: ["slack.event_id": "\(eventID)", "slack.retry_num": "\(retryAttempt)"])
                return Response(status: .ok)
            }
            let inbound = Inbound(
                kind: kind,
                payload: payload,
                deliveryID: eventID ?? "http-\(UUID().uuidString)",
                retryAttempt: retryAttempt,
                receivedAt: receivedAt
            )
            let reply = await handler.respond(to: inbound)
            metrics.acked(type: kind.rawValue, transport: .http, receivedAt: receivedAt)
            guard let reply, !reply.isNull else { return Response(status: .ok) }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: reply.encoded()))
            )
        }
    }
}

extension HTTPFields {
    /// The first value of a header, by lowercased name (names outside HTTPTypes' predefined set).
    func value(named lowercasedName: String) -> String? {
        first(where: { $0.name.canonicalName == lowercasedName })?.value
    }
}
