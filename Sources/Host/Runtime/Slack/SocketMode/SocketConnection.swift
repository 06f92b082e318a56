import CasebookKit
import CasebookNIO
import NIOCore
import NIOWebSocket
@_spi(TestKit) import ServiceLifecycle
import WSClient

/// One Socket Mode WebSocket, from connect to close: waits for `hello`, runs each envelope's
/// handler in its own child task (envelopes never wait for each other) and writes the ack on this
/// same socket the moment the handler returns, or empty at the ack budget. Closing is orderly:
/// stop admitting envelopes, ack the ones in flight (bounded), then send the close frame.
struct SocketConnection: Sendable {
    let control: SocketControl
    let url: String
    let configuration: SocketModeConfiguration
    let handler: any InboundHandling
    let recentEnvelopes: InMemoryDeliveryDedupe
    let dedupe: any DeliveryDedupe
    let metrics: SlackTransportMetrics
    let registry: SocketRegistry
    let events: AsyncStream<SocketEvent>.Continuation
    /// The loop this socket's channel, reader and envelope tasks run on.
    let eventLoop: any EventLoop
    let logger: Logger

    func run() async {
        var socketLogger = self.logger
        socketLogger[metadataKey: "slack.socket"] = "\(control.id)"
        let logger = socketLogger
        let clientConfiguration = WebSocketClientConfiguration(
            maxFrameSize: configuration.maxMessageSize,
            closeTimeout: configuration.closeTimeout,
            autoPing: .enabled(timePeriod: configuration.pingInterval)
        )
        do {
            // WSClient closes its socket by itself as soon as graceful shutdown starts, before the
            // acks still in flight are written. This socket closes itself in order instead (see
            // `SocketModeService.run`), so WSClient must not see the shutdown signal.
            try await TaskLocals.$gracefulShutdownManager.withValue(nil) {
                try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
                    try await WebSocketClient.connect(
                        url: url, configuration: clientConfiguration, eventLoopGroup: eventLoop, logger: logger
                    ) { inbound, outbound, _ in
                        await serve(inbound: inbound, outbound: outbound, logger: logger)
                    }
                }
            }
            ended(error: nil)
        } catch {
            ended(error: error)
        }
    }

    /// Tells the slot this socket is gone (once), so it can connect a replacement.
    private func ended(error: (any Error)?) {
        guard control.markEnded() else { return }
        registry.remove(control.id)
        events.yield(.ended(socket: control.id, error: error))
    }

    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        // Empty acks the deadline sweeper sends while their handlers still run.
        let (lateAcks, lateAckSink) = AsyncStream.makeStream(of: (SocketModeEnvelope, ContinuousClock.Instant).self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await control.closeRequested()
                guard !Task.isCancelled else { return }
                await drain()
                try? await outbound.close(.normalClosure, reason: nil)
            }
            group.addTask {
                try? await Task.sleep(for: configuration.helloTimeout)
                guard !Task.isCancelled, control.markHelloTimedOut() else { return }
                logger.warning("Slack sent no hello within \(configuration.helloTimeout); replacing the socket")
                try? await outbound.close(.goingAway, reason: "no hello")
            }
            group.addTask {
                for await (envelope, receivedAt) in lateAcks {
                    await acknowledge(envelope, reply: nil, receivedAt: receivedAt, outbound: outbound, logger: logger)
                }
            }
            // Envelope tasks run their handlers; they are not cancelled when the socket closes, so
            // a handler still running then finishes and delivers its reply through response_url.
            await withDiscardingTaskGroup { envelopes in
                do {
                    for try await message in inbound.messages(maxSize: configuration.maxMessageSize) {
                        // Slack only sends JSON text frames; binary frames are ignored as its SDKs do.
                        guard case .text(let text) = message else { continue }
                        let receivedAt = ContinuousClock.now
                        switch SocketModeMessage(text: text) {
                        case .hello(let numConnections):
                            if control.markHello() {
                                registry.markReady(control.id)
                                logger.info("Socket Mode connection ready", metadata: ["slack.num_connections": "\(numConnections.map(String.init) ?? "?")"])
                                events.yield(.hello(socket: control.id))
                            }
                        case .disconnect(let reason):
                            logger.info("Slack asked to disconnect", metadata: ["slack.reason": "\(reason)"])
                            events.yield(.disconnect(socket: control.id, reason: reason))
                        case .envelope(let envelope):
                            metrics.received(type: envelope.type, transport: .socketMode)
                            guard control.beginEnvelope() else {
                                logger.debug("Envelope arrived while the socket is closing; left for Slack to redeliver")
                                continue
                            }
                            envelopes.addTask {
                                await deliver(envelope, receivedAt: receivedAt, outbound: outbound, lateAcks: lateAckSink, logger: logger)
                            }
                        case .unrecognised(let type):
                            logger.debug("Ignoring an unrecognised Socket Mode message", metadata: ["slack.type": "\(type ?? "none")"])
                        }
                    }
                    // The socket is closed: the slot may replace it while the handlers finish.
                    ended(error: nil)
                } catch {
                    ended(error: error)
                }
            }
            lateAckSink.finish()
            group.cancelAll()
        }
    }

    /// Dedupe, dispatch, ack. A duplicate (same envelope, or an event already handled) is acked
    /// without dispatching, so Slack stops redelivering it. Only events wait for the durable store.
    private func deliver(
        _ envelope: SocketModeEnvelope, receivedAt: ContinuousClock.Instant, outbound: WebSocketOutboundWriter,
        lateAcks: AsyncStream<(SocketModeEnvelope, ContinuousClock.Instant)>.Continuation, logger: Logger
    ) async {
        var isFirst = recentEnvelopes.firstDelivery(key: envelope.envelopeID)
        if isFirst, let eventID = envelope.eventID {
            isFirst = await dedupe.firstDelivery(key: DeliveryKey.event(eventID))
        }
        guard isFirst, let kind = envelope.kind else {
            if isFirst {
                logger.warning("Envelope of an unknown type acked without dispatch", metadata: ["slack.type": "\(envelope.type)"])
            } else {
                metrics.duplicate(type: envelope.type, transport: .socketMode)
                logger.debug("Duplicate delivery acked without dispatch", metadata: ["slack.envelope_id": "\(envelope.envelopeID)", "slack.retry_attempt": "\(envelope.retryAttempt)"])
            }
            await acknowledge(envelope, reply: nil, receivedAt: receivedAt, outbound: outbound, logger: logger)
            return
        }
        let inbound = Inbound(kind: kind, payload: envelope.payload, deliveryID: envelope.envelopeID, retryAttempt: envelope.retryAttempt, receivedAt: receivedAt)
        await handler.handle(inbound, ack: Acknowledgement(
            send: { reply in await acknowledge(envelope, reply: reply, receivedAt: receivedAt, outbound: outbound, logger: logger) },
            sendEmptyNow: { lateAcks.yield((envelope, receivedAt)) }
        ))
    }

    /// Writes the ack frame; the envelope stops counting as in flight either way.
    private func acknowledge(
        _ envelope: SocketModeEnvelope, reply: JSONValue?, receivedAt: ContinuousClock.Instant, outbound: WebSocketOutboundWriter, logger: Logger
    ) async {
        defer { control.endEnvelope() }
        do {
            // A text frame straight from the encoded bytes (`.text` would take a String and copy it again).
            try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: envelope.ack(reply: reply)))))
            metrics.acked(type: envelope.type, transport: .socketMode, receivedAt: receivedAt)
        } catch {
            logger.warning("Could not ack an envelope; Slack will redeliver it", metadata: ["slack.envelope_id": "\(envelope.envelopeID)", "error": "\(error)"])
        }
    }

    /// Waits (bounded) until every admitted envelope has been acked, and from then on admits no
    /// more, so the close frame never precedes an ack this socket still owes.
    private func drain() async {
        let deadline = ContinuousClock.now + configuration.drainTimeout
        while !control.closeIfIdle() {
            guard ContinuousClock.now < deadline, !Task.isCancelled else {
                control.closeNow()
                return
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}
