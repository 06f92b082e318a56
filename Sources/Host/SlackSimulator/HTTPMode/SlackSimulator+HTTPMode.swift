import AsyncHTTPClient
public import CasebookKit
import Foundation
import NIOCore
import NIOHTTP1

/// The answer of an app to a signed request.
public struct SignedResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// HTTP mode: Slack POSTs signed requests to the app's Request URLs (reference/slack.md §2).
extension SlackSimulator {
    /// The exact body Slack sends for a payload: JSON for events, form fields for slash commands
    /// (booleans as `"true"`/`"false"`), `payload=<url-encoded JSON>` for interactivity.
    public static func httpBody(_ kind: EnvelopeKind, payload: JSONValue) -> (contentType: String, body: Data) {
        switch kind {
        case .eventsAPI:
            return ("application/json", Data(payload.encoded().utf8))
        case .slashCommands:
            let fields = (payload.object ?? [:]).sorted { $0.key < $1.key }.map { key, value -> (String, String) in
                switch value {
                case .string(let text): return (key, text)
                case .bool(let flag): return (key, flag ? "true" : "false")
                case .number: return (key, value.int.map(String.init) ?? "\(value.double ?? 0)")
                case .null: return (key, "")
                default: return (key, value.encoded())
                }
            }
            return ("application/x-www-form-urlencoded", Data(FormEncoding.encode(fields).utf8))
        case .interactive:
            return ("application/x-www-form-urlencoded", Data(("payload=" + FormEncoding.escape(payload.encoded())).utf8))
        }
    }

    /// POSTs a payload to an app's Request URL exactly as Slack would, signed with the workspace's
    /// signing secret (or `secret`), at `timestamp` (default: the simulator clock's now).
    /// `retryNum`/`retryReason` add `X-Slack-Retry-Num`/`X-Slack-Retry-Reason`; `tamper` changes
    /// the body after signing. A 200 answer is applied like an ack payload (immediate command
    /// replies, view submission `response_action`s).
    public func postSigned(
        to url: String, _ kind: EnvelopeKind, payload: JSONValue, secret: String? = nil, timestamp: Date? = nil,
        retryNum: Int? = nil, retryReason: String? = nil, tamper: Bool = false, timeout: Duration = .seconds(10)
    ) async throws -> SignedResponse {
        let (contentType, body) = Self.httpBody(kind, payload: payload)
        let seconds = String(Int((timestamp ?? clock.now()).timeIntervalSince1970))
        let signature = RequestSignature.sign(secret: secret ?? signingSecret, timestamp: seconds, body: body)
        var sent = body
        if tamper { sent.append(contentsOf: Array((kind == .eventsAPI ? " " : "&tampered=1").utf8)) }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: "Slackbot 1.0 (+https://api.slack.com/robots)")
        request.headers.add(name: "X-Slack-Request-Timestamp", value: seconds)
        request.headers.add(name: "X-Slack-Signature", value: signature)
        if let retryNum {
            request.headers.add(name: "X-Slack-Retry-Num", value: String(retryNum))
            request.headers.add(name: "X-Slack-Retry-Reason", value: retryReason ?? "http_timeout")
        }
        request.body = .bytes(ByteBuffer(bytes: sent))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
        let buffer = try await response.body.collect(upTo: 20 << 20)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name.lowercased()] = header.value }
        let data = Data(buffer.readableBytesView)
        if response.status.code == 200, !data.isEmpty {
            let answer = (try? JSONValue.decode(data)) ?? .object(["text": .string(String(decoding: data, as: UTF8.self))])
            applyAnswer(kind, payload: payload, answer: answer)
        } else if response.status.code == 200, kind == .interactive {
            applyAnswer(kind, payload: payload, answer: nil)
        }
        return SignedResponse(status: Int(response.status.code), headers: headers, body: data)
    }
}
