import Foundation
import NIOCore
import NIOHTTP1

/// Turns HTTP/1.1 request parts into a ``FakeRequest``, hands it to the service off the loop, and
/// writes the outcome back — or resets the connection, which is why the fakes sit on plain NIO:
/// a framework answers every request, a broken upstream does not.
final class FakeHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bodies above this are answered 413 (and not kept).
    static let maximumBodySize = 10 << 20

    private let service: FakeService
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(service: FakeService) {
        self.service = service
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            bodyTooLarge = false
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if body.readableBytes + chunk.readableBytes > Self.maximumBodySize {
                bodyTooLarge = true
                body = ByteBuffer()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = Self.request(head, body: bodyTooLarge ? Data() : Data(body.readableBytesView))
            body.clear()
            let promise = context.eventLoop.makePromise(of: FakeOutcome.self)
            if bodyTooLarge {
                promise.succeed(service.refuseTooLarge(request))
            } else {
                let service = self.service
                promise.completeWithTask { await service.answer(request) }
            }
            let keepAlive = head.isKeepAlive
            let version = head.version
            promise.futureResult.assumeIsolated().whenSuccess { outcome in
                self.deliver(outcome, version: version, keepAlive: keepAlive, context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func deliver(_ outcome: FakeOutcome, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        let channel = context.channel
        guard channel.isActive else { return }
        switch outcome {
        case .reset:
            Self.reset(channel)
        case .respond(let response):
            var head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status))
            for (name, value) in response.headers where name.lowercased() != "content-length" {
                head.headers.add(name: name, value: value)
            }
            head.headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
            if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !response.body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
            }
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive { written.whenComplete { _ in channel.close(promise: nil) } }
        }
    }

    /// SO_LINGER 0 makes close() send RST instead of FIN, as a crashed proxy or a dropped
    /// connection looks to the client.
    private static func reset(_ channel: any NIOCore.Channel) {
        guard let socket = channel as? any SocketOptionProvider else {
            channel.close(promise: nil)
            return
        }
        socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
    }

    private static func request(_ head: HTTPRequestHead, body: Data) -> FakeRequest {
        let (path, query) = FakeRequest.split(target: head.uri)
        var headers: [String: String] = [:]
        for (name, value) in head.headers {
            let key = name.lowercased()
            headers[key] = headers[key].map { "\($0), \(value)" } ?? value
        }
        return FakeRequest(method: head.method.rawValue, path: path, query: query, headers: headers, body: body)
    }
}
