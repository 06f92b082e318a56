import CasebookKit
import NIOWebSocket

/// Masking keys for the frames one client socket sends (RFC 6455 §5.3: every client frame is
/// masked with a fresh key).
///
/// Why not `WebSocketMaskingKey.random()`: that asks the kernel for randomness (a `getrandom`
/// syscall) on every frame, a measurable share of an ack's CPU. Masking exists so script-chosen
/// payloads cannot be shaped into something an intermediary misreads (§10.3); that needs keys the
/// payload's author cannot predict, not a fresh syscall per frame. So each socket draws its keys
/// from its own ``Xoshiro256`` (xoshiro256** seeded from `SystemRandomNumberGenerator`), and reseeds every
/// `keysPerSeed` keys: one kernel call per batch of frames, and no generator state shared between
/// sockets (on `wss://` the keys are never on the wire in clear anyway).
///
/// Not thread-safe: it lives in the socket's channel handler and is used on its event loop only.
struct MaskingKeySource {
    static let keysPerSeed = 1024

    private var generator = Xoshiro256()
    private var keysLeft = Self.keysPerSeed

    init() {}

    /// The key for the next outgoing frame.
    mutating func nextKey() -> WebSocketMaskingKey {
        if keysLeft == 0 {
            generator.reseed()
            keysLeft = Self.keysPerSeed
        }
        keysLeft -= 1
        return .random(using: &generator)
    }
}
