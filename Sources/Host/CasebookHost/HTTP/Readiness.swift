import CasebookKit

/// The answer of the readiness probe behind `/readyz`: ready, or not with a short reason
/// ("slack: not connected", "configuration: not loaded") that an operator can act on.
public struct Readiness: Sendable, Equatable {
    public var isReady: Bool
    public var reason: String?

    public init(isReady: Bool, reason: String? = nil) {
        self.isReady = isReady
        self.reason = reason
    }

    public static let ready = Readiness(isReady: true)
    public static func notReady(_ reason: String) -> Readiness { Readiness(isReady: false, reason: reason) }
}
