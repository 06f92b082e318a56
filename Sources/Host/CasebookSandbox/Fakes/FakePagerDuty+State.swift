import CasebookKit
import Foundation
import Synchronization

extension FakePagerDuty {
    /// The fake's account: what it knows (keys, tokens, people, on-calls) and what happened to it.
    /// Routes hold the account rather than the ``FakePagerDuty``, so the services do not keep
    /// their owner alive.
    final class Account: Sendable {
        let routingKeys: Set<String>
        let apiTokens: Set<String>
        let users: [User]
        let services: [Service]
        let oncalls: [OnCall]
        let now: @Sendable () -> Date
        let ledger = Mutex(Ledger())

        struct Ledger {
            var acceptedEvents: [AcceptedEvent] = []
            var changeEvents: [ChangeEvent] = []
            var alerts: [Alert] = []
            var incidents: [Incident] = []
            /// Off by default, as most tests want every event through.
            var eventLimiter: SlidingWindowLimiter?
            var restLimiter = SlidingWindowLimiter(limit: FakePagerDuty.restRequestsPerMinute)
        }

        init(routingKeys: Set<String>, apiTokens: Set<String>, users: [User], services: [Service], oncalls: [OnCall], now: @escaping @Sendable () -> Date) {
            self.routingKeys = routingKeys
            self.apiTokens = apiTokens
            self.users = users
            self.services = services
            self.oncalls = oncalls
            self.now = now
        }

        func user(id: String) -> User? {
            users.first { $0.id == id }
        }

        func service(id: String) -> Service? {
            services.first { $0.id == id }
        }

        /// Applies an accepted alert event to the alert it belongs to (routing key + dedup key):
        /// a trigger folds into the open alert or opens one; acknowledge and resolve change an open
        /// alert and are dropped when there is none.
        func apply(_ event: AcceptedEvent) {
            ledger.withLock { ledger in
                ledger.acceptedEvents.append(event)
                let open = ledger.alerts.lastIndex {
                    $0.routingKey == event.routingKey && $0.dedupKey == event.dedupKey && $0.isOpen
                }
                switch (event.action, open) {
                case (.trigger, let index?):
                    ledger.alerts[index].triggerCount += 1
                case (.trigger, nil):
                    ledger.alerts.append(Alert(
                        routingKey: event.routingKey, dedupKey: event.dedupKey, summary: event.summary ?? "",
                        severity: event.severity ?? "", source: event.source ?? "", status: .triggered,
                        triggerCount: 1, createdAt: event.receivedAt))
                case (.acknowledge, let index?):
                    ledger.alerts[index].status = .acknowledged
                case (.resolve, let index?):
                    ledger.alerts[index].status = .resolved
                case (.acknowledge, nil), (.resolve, nil):
                    break
                }
            }
        }
    }
}
