import CasebookKit
import CasebookStore

/// Envelope and event dedupe kept in the database, so it holds across restarts and replicas.
/// If the database cannot answer, the delivery is handled (a rare duplicate beats a lost command).
struct StoredDeliveryDedupe: DeliveryDedupe {
    let database: Database
    let ttl: Duration
    let logger: Logger

    func firstDelivery(key: String) async -> Bool {
        do {
            return try await database.firstDelivery(key: key, ttl: ttl)
        } catch {
            logger.warning("delivery dedupe unavailable; handling the delivery", metadata: ["error": "\(error)"])
            return true
        }
    }
}

extension Database: PluginStores {}
extension Database: SharedInvocationWindow {}
