import CasebookKit
import CasebookNIO
import NIOCore
import NIOWebSocket

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
        do {
            try await withTaskExecutorPreference(EventLoopTaskExecutor(eventLoop)) {
                let link = try await SocketLink.connect(to: url, configuration: configuration, eventLoop: eventLoop)
                await serve(link, logger: logger)
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

    private func serve(_ link: SocketLink, logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await control.closeRequested()
                guard !Task.isCancelled else { return }
                await drain()
                link.close(.normalClosure)
            }
            group.addTask {
                try? await Task.sleep(for: configuration.helloTimeout)
                guard !Task.isCancelled, control.markHelloTimedOut() else { return }
                logger.warning("Slack sent no hello within \(configuration.helloTimeout); replacing the socket")
                link.close(.goingAway)
            }
            // Envelope tasks run their handlers; they are not cancelled when the socket closes, so
            // a handler still running then finishes and delivers its reply through response_url.
            await withDiscardingTaskGroup { envelopes in
                do {
                    for try await received in link.messages {
                        switch received.message {
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
                            let receivedAt = received.receivedAt
                            envelopes.addTask {
                                await deliver(envelope, receivedAt: receivedAt, link: link, logger: logger)
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
            group.cancelAll()
        }
    }

    /// Dedupe, dispatch, ack. A duplicate (same envelope, or an event already handled) is acked
    /// without dispatching, so Slack stops redelivering it. Only events wait for the durable store.
    private func deliver(_ envelope: SocketModeEnvelope, receivedAt: ContinuousClock.Instant, link: SocketLink, logger: Logger) async {
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
            acknowledge(envelope, reply: nil, receivedAt: receivedAt, link: link, logger: logger)
            return
        }
        let inbound = Inbound(kind: kind, payload: envelope.payload, deliveryID: envelope.envelopeID, retryAttempt: envelope.retryAttempt, receivedAt: receivedAt)
        await handler.handle(inbound, ack: Acknowledgement(
            send: { reply in acknowledge(envelope, reply: reply, receivedAt: receivedAt, link: link, logger: logger) },
            // Writing never waits, so the deadline sweeper's empty ack goes out from its own task.
            sendEmptyNow: { acknowledge(envelope, reply: nil, receivedAt: receivedAt, link: link, logger: logger) }
        ))
    }

    /// Queues the ack frame on the socket; the envelope stops counting as in flight at once, since
    /// any close frame is queued behind it on the same channel. The latency metric is recorded
    /// when the frame is written.
    private func acknowledge(_ envelope: SocketModeEnvelope, reply: JSONValue?, receivedAt: ContinuousClock.Instant, link: SocketLink, logger: Logger) {
        defer { control.endEnvelope() }
        let metrics = self.metrics
        link.send(envelope.ack(reply: reply)) { result in
            switch result {
            case .success:
                metrics.acked(type: envelope.type, transport: .socketMode, receivedAt: receivedAt)
            case .failure(let error):
                logger.warning("Could not ack an envelope; Slack will redeliver it", metadata: ["slack.envelope_id": "\(envelope.envelopeID)", "error": "\(error)"])
            }
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
