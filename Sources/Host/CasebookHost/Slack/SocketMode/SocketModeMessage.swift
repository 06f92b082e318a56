import CasebookKit

/// One text frame Slack sends over a Socket Mode connection, parsed just far enough to route it.
/// Unknown fields are ignored; unknown message types are kept so they can be logged, not failed on.
enum SocketModeMessage: Sendable, Equatable {
    case hello(numConnections: Int?)
    case disconnect(reason: String)
    case envelope(SocketModeEnvelope)
    case unrecognised(type: String?)

    init(text: String) {
        self.init(json: try? JSONValue.decode(text))
    }

    /// Parses a text frame's payload straight from its UTF-8 bytes, on the event loop that read
    /// it (no intermediate `String`).
    init(bytes: some Collection<UInt8>) {
        self.init(json: try? JSONValue.decode(bytes: bytes))
    }

    private init(json: JSONValue?) {
        guard let json, json.object != nil else {
            self = .unrecognised(type: nil)
            return
        }
        let type = json["type"]?.string
        switch type {
        case "hello":
            self = .hello(numConnections: json["num_connections"]?.int)
        case "disconnect":
            self = .disconnect(reason: json["reason"]?.string ?? "")
        default:
            // Slack's SDKs treat a message as an envelope only when it has type, envelope_id and payload.
            if let type, let envelopeID = json["envelope_id"]?.string, let payload = json["payload"] {
                self = .envelope(
                    SocketModeEnvelope(
                        envelopeID: envelopeID,
                        type: type,
                        payload: payload,
                        acceptsResponsePayload: json["accepts_response_payload"]?.bool ?? false,
                        retryAttempt: json["retry_attempt"]?.int ?? 0,
                        retryReason: json["retry_reason"]?.string ?? ""
                    )
                )
            } else {
                self = .unrecognised(type: type)
            }
        }
    }
}

/// A delivery pushed over Socket Mode: the same payload an HTTP Request URL would receive, wrapped
/// with the id the ack must echo.
struct SocketModeEnvelope: Sendable, Equatable {
    var envelopeID: String
    var type: String
    var payload: JSONValue
    var acceptsResponsePayload: Bool
    var retryAttempt: Int
    var retryReason: String

    /// The dispatcher's kind for this envelope, or nil for a type this host does not handle.
    var kind: Inbound.Kind? { Inbound.Kind(rawValue: type) }

    /// The Events API `event_id`, the key Slack's retries share.
    var eventID: String? { type == Inbound.Kind.eventsAPI.rawValue ? payload["event_id"]?.string : nil }

    /// The ack frame: `{"envelope_id": …}` plus `payload` only when Slack allows a response body
    /// and the handler produced one.
    func ack(reply: JSONValue?) -> [UInt8] {
        var body: [String: JSONValue] = ["envelope_id": .string(envelopeID)]
        if acceptsResponsePayload, let reply, !reply.isNull { body["payload"] = reply }
        return JSONValue.object(body).encodedBytes()
    }
}
