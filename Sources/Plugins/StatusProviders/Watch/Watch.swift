import CasebookKit
import CasesPlugin

extension StatusProvidersPlugin {
    /// The recurring poll (every `poll_every`; the job runner sleeps in between): one fresh request
    /// per provider, compared with the state stored at the last poll. A change is stored first and
    /// then told once — to `watch_channel` and, threaded under its snapshot, to every escalated
    /// case's channel — so neither a repeat poll nor a restart posts it again. The first reading
    /// of a provider is only stored (a baseline, not news); an unknown reading changes nothing, so a
    /// flaky status page does not flap.
    func watch(_ context: PluginContext) async throws {
        let readings = await reader.read(configuration.providers, fresh: true, context)
        let now = context.clock.now()
        var changes: [(Provider, StatusChange)] = []
        for (provider, reading) in zip(configuration.providers, readings) {
            guard let status = reading.status else { continue }
            let change = try await context.storage.transaction { tx -> StatusChange? in
                let previous = try await ProviderStore.state(provider: provider.name, on: tx.sql)
                guard previous != status else { return nil }
                try await ProviderStore.recordState(status, provider: provider.name, at: now, on: tx.sql)
                return previous.flatMap { StatusChange.between($0, status) }
            }
            if let change { changes.append((provider, change)) }
        }
        guard !changes.isEmpty else { return }
        let cases = await CaseDirectory(context: context).activeCases().filter { $0.status == .escalated }
        var threads: [(channel: String, ts: String?)] = []
        if let channel = configuration.watchChannel { threads.append((channel, nil)) }
        for item in cases {
            let snapshot = try await context.storage.read { db in try await ProviderStore.snapshot(caseID: item.id, on: db) }
            threads.append((item.channelID, snapshot?.ts))
        }
        for (provider, change) in changes {
            let message = change.message(for: provider)
            for thread in threads { await announce(message, in: thread.channel, threadTS: thread.ts, context) }
        }
    }

    /// Posts after the state is stored: a failure is logged, never retried into a repeat post.
    private func announce(_ message: Message, in channel: String, threadTS: String?, _ context: PluginContext) async {
        do {
            _ = try await context.slack.postMessage(channel: channel, message, threadTS: threadTS)
        } catch {
            context.logger.warning("status change not posted", metadata: ["channel": "\(channel)", "error": "\(error)"])
        }
    }
}
