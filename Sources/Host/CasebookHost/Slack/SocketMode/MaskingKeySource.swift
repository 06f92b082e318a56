import NIOWebSocket

/// Masking keys for the frames one client socket sends (RFC 6455 §5.3: every client frame is
/// masked with a fresh key).
///
/// Why not `WebSocketMaskingKey.random()`: that asks the kernel for randomness (a `getrandom`
/// syscall) on every frame, a measurable share of an ack's CPU. Masking exists so script-chosen
/// payloads cannot be shaped into something an intermediary misreads (§10.3); that needs keys the
/// payload's author cannot predict, not a fresh syscall per frame. So each socket draws its keys
/// from xoshiro256** seeded from `SystemRandomNumberGenerator`, and reseeds every
/// `keysPerSeed` keys: one kernel call per batch of frames, and no generator state shared between
/// sockets (on `wss://` the keys are never on the wire in clear anyway).
///
/// Not thread-safe: it lives in the socket's channel handler and is used on its event loop only.
struct MaskingKeySource: RandomNumberGenerator {
    static let keysPerSeed = 1024

    private var s0: UInt64 = 0
    private var s1: UInt64 = 0
    private var s2: UInt64 = 0
    private var s3: UInt64 = 0
    private var keysLeft = 0

    init() {}

    /// The key for the next outgoing frame.
    mutating func nextKey() -> WebSocketMaskingKey {
        if keysLeft == 0 { reseed() }
        keysLeft -= 1
        return .random(using: &self)
    }

    /// xoshiro256** (Blackman & Vigna): fast, with 256 bits of state.
    mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    private mutating func reseed() {
        var system = SystemRandomNumberGenerator()
        repeat {
            s0 = system.next()
            s1 = system.next()
            s2 = system.next()
            s3 = system.next()
        } while s0 | s1 | s2 | s3 == 0  // the all-zero state would only ever yield zeros
        keysLeft = Self.keysPerSeed
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
