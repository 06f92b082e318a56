public import CasebookKit
public import Foundation

/// The simulator without sockets: the test host's in-process mode hands it the app's HTTP
/// requests and acks directly, and they meet the same handlers, faults and state as over the wire.
/// A simulator used this way is never run; the URLs it hands out (`response_url`, upload URLs)
/// name port 0, which no socket can reach, and are answered by ``answer(_:url:headers:body:)``.
extension SlackSimulator {
    /// An HTTP answer: status, headers (`Retry-After`, `Content-Type`) and body.
    public struct InProcessAnswer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: Data
    }

    /// Answers a request to one of the simulator's URLs (`/api/<method>`, `/upload/<file>`,
    /// `/response/<id>`) as its HTTP server would. Header names are matched case-insensitively.
    public func answer(_ httpMethod: String = "POST", url: String, headers: [String: String], body: Data) async -> InProcessAnswer {
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        let components = URLComponents(string: url)
        let path = components?.path ?? url
        let parts = path.split(separator: "/").map(String.init)
        let json = ["Content-Type": "application/json; charset=utf-8"]
        guard parts.count == 2 else { return InProcessAnswer(status: 404, headers: [:], body: Data("Not Found".utf8)) }
        switch parts[0] {
        case "api" where httpMethod == "POST" || httpMethod == "GET":
            let answer = await makeEndpoint().respond(to: WebAPIRequest(
                method: parts[1], authorization: lowered["authorization"], contentType: lowered["content-type"],
                query: components?.percentEncodedQuery, body: body))
            return InProcessAnswer(status: answer.status, headers: answer.headers.merging(json) { own, _ in own }, body: Data(answer.json.encoded().utf8))
        case "upload" where httpMethod == "POST":
            let answer = SimulatorRouter.upload(id: parts[1], body: body, contentType: lowered["content-type"], store: store)
            return InProcessAnswer(status: answer.status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Data(answer.text.utf8))
        case "response" where httpMethod == "POST":
            let answer = SimulatorRouter.responseURLAnswer(id: parts[1], body: body, store: store, now: clock.now())
            return InProcessAnswer(status: answer.status, headers: json, body: Data(answer.json.encoded().utf8))
        default:
            return InProcessAnswer(status: 404, headers: [:], body: Data("Not Found".utf8))
        }
    }

    /// Takes the app's ack of `payload` (built by this simulator) as Slack would: keeps its body
    /// only where an ack may carry one (slash commands, view submissions), applies it (posts the
    /// immediate reply, performs the `response_action`) and returns what it kept.
    @discardableResult
    public func acknowledge(_ payload: JSONValue, answer: JSONValue?) -> JSONValue? {
        let kind = EnvelopeKind.of(payload)
        let kept = EnvelopeKind.acceptsResponsePayload(kind, payload: payload) ? answer.flatMap { $0.isNull ? nil : $0 } : nil
        applyAnswer(kind, payload: payload, answer: kept)
        return kept
    }
}
