public import CasebookKit

/// Socket Mode controls: deliveries, disconnect frames, drops and pings.
extension SlackSimulator {
    /// Ids of the open Socket Mode connections, oldest first.
    public var openSockets: [Int] { hub.openConnections }
    public var openSocketCount: Int { hub.openConnections.count }
    /// How many sockets were ever accepted.
    public var acceptedSocketCount: Int { hub.totalConnections }
    /// Every delivery's outcome, in order.
    public var acks: [Ack] { hub.acks }
    /// Text frames from the client that were not acks of a pending envelope.
    public var unmatchedFrames: [String] { hub.otherFrames }

    /// Sends an envelope to one open socket (round robin) and waits for its ack.
    /// Returns `acked == false` when no ack arrived within `timeout` (default: the simulator's
    /// ack timeout, 3 s). When acked, Slack's side effects of the ack payload are applied: a
    /// slash command's immediate reply is posted, a view submission's `response_action` is applied.
    /// Throws ``SimulatorError`` when no socket is open.
    @discardableResult
    public func deliver(
        _ kind: EnvelopeKind, payload: JSONValue, retryAttempt: Int = 0, retryReason: String = "",
        acceptsResponsePayload: Bool? = nil, timeout: Duration? = nil
    ) async throws -> Ack {
        let ack = try await hub.deliver(
            kind, payload: payload, retryAttempt: retryAttempt, retryReason: retryReason,
            acceptsResponsePayload: acceptsResponsePayload, timeout: timeout ?? ackTimeout)
        if ack.acked { applyAnswer(kind, payload: payload, answer: ack.payload) }
        return ack
    }

    /// Delivers a payload built by this simulator, inferring its envelope type.
    @discardableResult
    public func deliver(_ payload: JSONValue, timeout: Duration? = nil) async throws -> Ack {
        try await deliver(EnvelopeKind.of(payload), payload: payload, timeout: timeout)
    }

    /// Delivers the same Events API payload again (same `event_id`), as Slack's retry would.
    @discardableResult
    public func redeliver(_ payload: JSONValue, attempt: Int = 1, reason: String = "timeout") async throws -> Ack {
        try await deliver(.eventsAPI, payload: payload, retryAttempt: attempt, retryReason: reason)
    }

    /// Waits (up to `timeout`) until exactly `count` sockets are open.
    public func waitForSockets(_ count: Int = 1, timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while openSocketCount != count {
            if ContinuousClock.now >= deadline { throw SimulatorError("expected \(count) open sockets, have \(openSocketCount)") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Sends `{"type":"disconnect","reason":…}` to one socket (all when nil), optionally closing
    /// it `closeAfter` later (Slack closes about 10 s after `warning`).
    public func sendDisconnect(_ reason: DisconnectReason, to socket: Int? = nil, closeAfter: Duration? = nil) async throws {
        try await hub.sendDisconnect(reason, to: socket, closeAfter: closeAfter)
    }

    /// Closes a socket with a close handshake.
    public func closeSocket(_ socket: Int? = nil, after delay: Duration = .zero) throws {
        try hub.close(socket, after: delay)
    }

    /// Drops a socket abruptly (TCP close, no close frame).
    public func dropSocket(_ socket: Int? = nil) throws {
        try hub.drop(socket)
    }

    /// Sends a WebSocket ping frame now (the server also pings on its own interval).
    public func ping(_ socket: Int? = nil) async throws {
        try await hub.ping(socket)
    }

    /// Sends any text frame (e.g. malformed JSON) to a socket.
    public func sendRawFrame(_ text: String, to socket: Int? = nil) async throws {
        try await hub.sendRaw(text, to: socket)
    }

    /// Applies what Slack does with an app's answer to a delivery (ack payload or HTTP body).
    func applyAnswer(_ kind: EnvelopeKind, payload: JSONValue, answer: JSONValue?) {
        let now = clock.now()
        store.withState { state in
            switch kind {
            case .slashCommands:
                guard let answer, answer["text"] != nil || answer["blocks"] != nil,
                      let channel = payload["channel_id"]?.string, let user = payload["user_id"]?.string else { return }
                try? state.applyMessageReply(answer, to: .init(channel: channel, user: user, messageTS: nil, messageIsEphemeral: false), now: now)
            case .interactive:
                guard payload["type"]?.string == "view_submission", let view = payload["view"]?["id"]?.string,
                      let user = payload["user"]?["id"]?.string else { return }
                state.applyViewResponse(answer, user: user, viewID: view, now: now)
            case .eventsAPI:
                return
            }
        }
    }
}
