import CasebookKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The simulator's HTTP surface on the Web API port:
/// - `/api/<method>` — the Web API (``WebAPIEndpoint``)
/// - `/link` — 403: sockets live on the Socket Mode listener (``SocketListener``), whose address
///   `apps.connections.open` hands out
/// - `/upload/<file id>` — the external upload URL of `files.getUploadURLExternal`
/// - `/response/<id>` — `response_url`s handed out in payloads
struct SimulatorRouter {
    let endpoint: WebAPIEndpoint
    let store: SimulatorStore
    let clock: any WallClock

    /// At most 5 uses within 30 minutes (reference/slack.md §2.6).
    static let responseURLUses = 5
    static let responseURLLifetime: TimeInterval = 30 * 60

    func build() -> Router<BasicRequestContext> {
        let router = Router()
        let endpoint = self.endpoint
        router.on("/api/{method}", method: .post) { request, context in try await Self.webAPI(endpoint, request, context) }
        router.on("/api/{method}", method: .get) { request, context in try await Self.webAPI(endpoint, request, context) }
        let store = self.store
        router.post("/upload/{file}") { request, context in
            let id = try context.parameters.require("file")
            let body = try await request.body.collect(upTo: 100 << 20)
            let answer = Self.upload(id: id, body: Data(body.readableBytesView), contentType: request.headers[.contentType], store: store)
            return Self.text(answer.text, status: HTTPResponse.Status(code: answer.status))
        }
        let clock = self.clock
        router.post("/response/{id}") { request, context in
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 10 << 20)
            return Self.responseURL(id: id, body: Data(body.readableBytesView), store: store, now: clock.now())
        }
        router.get("/link") { _, _ in Self.text("invalid or already used ticket", status: .forbidden) }
        return router
    }

    static func webAPI(_ endpoint: WebAPIEndpoint, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let method = try context.parameters.require("method")
        let body = try await request.body.collect(upTo: 20 << 20)
        let answer = await endpoint.respond(to: WebAPIRequest(
            method: method, authorization: request.headers[.authorization], contentType: request.headers[.contentType],
            query: request.uri.query, body: Data(body.readableBytesView)))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: answer.json.encoded())))
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: value.encoded())))
    }

    /// The bytes POSTed to an external upload URL, kept until `files.completeUploadExternal`.
    static func upload(id: String, body: Data, contentType: String?, store: SimulatorStore) -> (status: Int, text: String) {
        let data = uploadedBytes(body, contentType: contentType)
        let accepted = store.withState { state -> Bool in
            guard state.files[id] != nil, state.files[id]?.completed == false else { return false }
            state.files[id]?.data = data
            return true
        }
        return accepted ? (200, "OK - \(data.count)") : (404, "Not Found")
    }

    /// A `response_url` POST: a JSON message body acting on the channel it was issued for.
    static func responseURL(id: String, body: Data, store: SimulatorStore, now: Date) -> Response {
        let answer = responseURLAnswer(id: id, body: body, store: store, now: now)
        return json(answer.json, status: HTTPResponse.Status(code: answer.status))
    }

    static func responseURLAnswer(id: String, body: Data, store: SimulatorStore, now: Date) -> (status: Int, json: JSONValue) {
        func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> (status: Int, json: JSONValue) { (status.code, value) }
        guard let message = try? JSONValue.decode(body), message.object != nil else {
            return json(["ok": false, "error": "invalid_payload"], status: .badRequest)
        }
        let result: Result<Void, APIError> = store.withState { state in
            guard let target = state.responseTargets[id] else { return .failure(APIError("invalid_url")) }
            if now.timeIntervalSince(target.created) > responseURLLifetime { return .failure(APIError("expired_url")) }
            if target.uses >= responseURLUses { return .failure(APIError("used_url")) }
            state.responseTargets[id]?.uses += 1
            do {
                try state.applyMessageReply(message, to: .init(
                    channel: target.channel, user: target.user, messageTS: target.messageTS,
                    messageIsEphemeral: target.messageIsEphemeral), now: now)
                state.responseTargets[id]?.replies.append(message)
                return .success(())
            } catch let error as APIError {
                return .failure(error)
            } catch {
                return .failure(APIError("internal_error"))
            }
        }
        switch result {
        case .success: return json(["ok": true])
        case .failure(let error):
            let status: HTTPResponse.Status = ["invalid_url", "expired_url", "used_url"].contains(error.code) ? .notFound : .ok
            var object = error.extra
            object["ok"] = false
            object["error"] = .string(error.code)
            return json(.object(object), status: status)
        }
    }

    /// The upload URL takes the raw bytes, or a multipart form with one file part.
    static func uploadedBytes(_ body: Data, contentType: String?) -> Data {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundaryRange = contentType.range(of: "boundary=")
        else { return body }
        let boundary = contentType[boundaryRange.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        guard let first = body.range(of: delimiter),
              let headersEnd = body.range(of: separator, in: first.upperBound..<body.endIndex),
              let next = body.range(of: delimiter, in: headersEnd.upperBound..<body.endIndex)
        else { return body }
        var end = next.lowerBound
        if body[..<end].suffix(2) == Data("\r\n".utf8) { end -= 2 }
        return body.subdata(in: headersEnd.upperBound..<end)
    }
}
