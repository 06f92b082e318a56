import CasebookNIO
import NIOCore
import NIOPosix

/// Slack's Socket Mode host (`wss-primary.slack.com`, a different host than the Web API): its own
/// listener on 127.0.0.1, plain NIO handlers from the HTTP upgrade to the frames, so the simulator
/// spends little of the CPU it shares with the host it measures.
///
/// An upgrade of `/link…` is accepted once per ticket `apps.connections.open` issued; anything
/// else gets 403 "invalid or already used ticket".
struct SocketListener: Sendable {
    static let maxMessageSize = 1 << 22
    static let refusal = "invalid or already used ticket"

    let listener: WebSocketListener
    var port: Int { listener.port }

    static func bind(
        hub: SocketHub, store: SimulatorStore, autoPing: Duration?,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SocketListener {
        let ping = autoPing.map(TimeAmount.init)
        let listener = try await WebSocketListener.bind(
            group: group, maxFrameSize: maxMessageSize, refusal: refusal,
            admits: { admits($0, store: store) },
            connect: { channel, uri in
                let connection = SocketConnection(hub: hub, debugReconnects: debugReconnects(uri), autoPing: ping)
                try channel.pipeline.syncOperations.addHandler(connection)
            })
        return SocketListener(listener: listener)
    }

    /// Stops accepting, then closes the open sockets.
    func stop(_ hub: SocketHub) async {
        await listener.close()
        await hub.closeAll()
    }

    /// A `/link` path with a ticket `apps.connections.open` issued; the ticket is used up.
    static func admits(_ uri: String, store: SimulatorStore) -> Bool {
        guard uri.hasPrefix("/link"), let ticket = query(uri)["ticket"] else { return false }
        return store.withState { $0.socketTickets.remove(ticket) != nil }
    }

    static func debugReconnects(_ uri: String) -> Bool {
        query(uri)["debug_reconnects"] == "true"
    }

    private static func query(_ uri: String) -> [String: String] {
        FormEncoding.decodeDictionary(uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "")
    }
}
