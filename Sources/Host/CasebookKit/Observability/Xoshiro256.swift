/// xoshiro256** (Blackman & Vigna): a fast generator with 256 bits of state, seeded from
/// `SystemRandomNumberGenerator`, for random values that are no secrets: WebSocket masking keys
/// (which the payload's author must not be able to choose), trace and span ids (which must be
/// unique). Drawing those from the system's generator cost a `getrandom` system call each (per
/// byte, for `UInt8.random`).
///
/// Not thread-safe: a value type, owned by one socket, or behind a lock (``TraceContext``).
public struct Xoshiro256: RandomNumberGenerator, Sendable {
    private var s0: UInt64 = 0
    private var s1: UInt64 = 0
    private var s2: UInt64 = 0
    private var s3: UInt64 = 0

    /// A generator seeded with 256 bits from the system's generator.
    public init() {
        reseed()
    }

    /// Replaces the state with 256 new bits from the system's generator.
    public mutating func reseed() {
        var system = SystemRandomNumberGenerator()
        repeat {
            s0 = system.next()
            s1 = system.next()
            s2 = system.next()
            s3 = system.next()
        } while s0 | s1 | s2 | s3 == 0  // the all-zero state would only ever yield zeros
    }

    public mutating func next() -> UInt64 {
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

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
