import CasebookKit
import Synchronization

/// Reads every provider at once: one GET each, in a task group, each bounded by the configured
/// timeout with no in-process retry, so a slow or broken provider costs at most the timeout and
/// reads "status unknown (why)" while the others are shown. Answers younger than ``cacheFor``
/// are reused, so a busy incident (commands, Refresh clicks, escalations) does not hammer providers.
final class StatusReader: Sendable {
    static let cacheFor: TimeInterval = 60

    private struct Cached: Sendable {
        var reading: ProviderReading
        var at: Date
    }

    private let cache = Mutex<[String: Cached]>([:])
    let timeout: Duration

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Readings in the order of `providers`. `fresh` skips the cache (the watch: one request per
    /// provider per poll) and refills it.
    func read(_ providers: [Provider], fresh: Bool = false, _ context: PluginContext) async -> [ProviderReading] {
        let now = context.clock.now()
        var readings: [String: ProviderReading] = [:]
        if !fresh {
            cache.withLock { cache in
                for provider in providers {
                    if let hit = cache[provider.name], now.timeIntervalSince(hit.at) < Self.cacheFor { readings[provider.name] = hit.reading }
                }
            }
        }
        let missing = providers.filter { readings[$0.name] == nil }
        let timeout = timeout
        await withTaskGroup(of: (String, ProviderReading).self) { group in
            for provider in missing {
                group.addTask { (provider.name, await Self.read(provider, timeout: timeout, context)) }
            }
            for await (name, reading) in group { readings[name] = reading }
        }
        cache.withLock { cache in
            for provider in missing { if let reading = readings[provider.name] { cache[provider.name] = Cached(reading: reading, at: now) } }
        }
        return providers.map { readings[$0.name] ?? .unknown("not read") }
    }

    /// One provider; every failure becomes a reason, never an error.
    static func read(_ provider: Provider, timeout: Duration, _ context: PluginContext) async -> ProviderReading {
        let request = OutboundRequest(
            .get, provider.statusURL, integration: provider.title, headers: ["Accept": "application/json"],
            timeout: timeout, deadline: timeout, retry: .never, maxAttempts: 1)
        do {
            let response = try await context.http.send(request)
            // incident.io pages, proxies and captive portals answer HTML: say so instead of quoting it.
            if response.body.first(where: { ![9, 10, 13, 32].contains($0) }) == UInt8(ascii: "<") { return .unknown("an HTML page, not the status API") }
            let json = try response.json(integration: provider.title)
            switch provider.kind {
            case .statuspage: return .status(try StatuspageSummary.parse(json))
            case .heroku: return .status(try HerokuStatus.parse(json))
            case .slack: return .status(try SlackStatus.parse(json))
            }
        } catch let error as IntegrationError {
            return .unknown(error.status == 404 ? "no status API at this address (HTTP 404)" : error.reason)
        } catch let error as ReadingError {
            return .unknown(error.reason)
        } catch {
            return .unknown("\(error)")
        }
    }
}
