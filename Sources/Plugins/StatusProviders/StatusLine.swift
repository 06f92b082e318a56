import CasebookKit
import CasesPlugin

extension StatusProvidersPlugin {
    /// The `/case status` line, from what the watch last stored (no provider is asked here).
    func statusLines(_ context: PluginContext) async throws -> [String] {
        let providers = configuration.providers
        let states = try await context.storage.read { db in
            var states: [String: ProviderStatus] = [:]
            for provider in providers { states[provider.name] = try await ProviderStore.state(provider: provider.name, on: db) }
            return states
        }
        guard !states.isEmpty else { return ["*Vendors:* not polled yet — `\(context.usage("vendors"))` reads them now"] }
        let troubled = providers.filter { states[$0.name].map { !$0.isOperational } ?? false }
        guard !troubled.isEmpty else { return ["*Vendors:* all \(states.count) polled providers operational"] }
        return ["*Vendors:* \(troubled.map { "\($0.title) (\(states[$0.name]?.description ?? "?"))" }.joined(separator: ", ")) not operational"]
    }
}
