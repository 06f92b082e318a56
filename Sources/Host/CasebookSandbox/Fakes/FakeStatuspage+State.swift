import CasebookKit
import Foundation
import Synchronization

extension FakeStatuspage {
    /// What the fake knows (the page, its keys) and what happened to it. Routes hold the account,
    /// not the ``FakeStatuspage``, so the service does not keep its owner alive.
    final class Account: Sendable {
        let pageID: String
        let apiKeys: Set<String>
        let seededComponents: [Component]
        let now: @Sendable () -> Date
        let ledger: Mutex<Ledger>

        struct Ledger {
            var components: [Component]
            var incidents: [Incident] = []
            var rateLimit: RateLimit?
            var limiter: SlidingWindowLimiter?
            var resolvingResetsComponents = false
        }

        init(pageID: String, apiKeys: Set<String>, components: [Component], now: @escaping @Sendable () -> Date) {
            self.pageID = pageID
            self.apiKeys = apiKeys
            self.seededComponents = components
            self.now = now
            self.ledger = Mutex(Ledger(components: components))
        }

        /// Sets component statuses on the page; returns what changed, in the order given.
        static func apply(_ statuses: [(id: String, status: String)], to ledger: inout Ledger) -> [AffectedComponent] {
            var affected: [AffectedComponent] = []
            for (id, status) in statuses {
                guard let index = ledger.components.firstIndex(where: { $0.id == id }) else { continue }
                let old = ledger.components[index].status
                ledger.components[index].status = status
                affected.append(AffectedComponent(code: id, name: ledger.components[index].name, oldStatus: old, newStatus: status))
            }
            return affected
        }

        /// A 12-character lowercase alphanumeric id, Statuspage's shape.
        static func newID() -> String {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
            return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        }
    }
}
