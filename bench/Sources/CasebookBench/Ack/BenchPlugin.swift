import CasebookKit

/// The smallest useful plugin: `/case ping` answers `pong` at once, so an ack measures the host
/// (transport, dispatcher, middleware chain) and nothing else.
struct BenchPlugin: Plugin {
    static let id = "bench"
    static let summary = "Benchmark probe: /case ping"

    init(configuration: NoConfiguration, context: PluginContext) async throws {}

    func register(_ routes: inout Routes<Self>) {
        routes.command("ping", help: "Answers pong (benchmark)") { _, _, _ in .ephemeral("pong") }
    }

    /// The bench plugin alone, with the per-user rate limit out of the way (one simulated user sends
    /// every command).
    static let configuration = """
        host:
          rate_limit: { per_user: 100000000, per: 60s }
        plugins:
          bench:
            enabled: true
        """
}
