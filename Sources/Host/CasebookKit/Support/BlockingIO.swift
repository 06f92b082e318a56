import Dispatch

/// Runs blocking work (file reads and writes) on a queue of its own, so it never occupies an
/// event loop or a thread of Swift's cooperative pool that async handlers need.
public enum BlockingIO {
    private static let queue = DispatchQueue(label: "casebook.blocking-io", qos: .utility, attributes: .concurrent)
    private static let marker = DispatchSpecificKey<Bool>()
    private static let marked: Void = queue.setSpecific(key: marker, value: true)

    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        _ = marked
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Whether the caller runs on the blocking-I/O queue (for tests and assertions).
    public static var isOffloaded: Bool { DispatchQueue.getSpecific(key: marker) == true }
}
