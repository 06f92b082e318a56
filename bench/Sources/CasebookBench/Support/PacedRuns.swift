import SlackSimulator

/// Runs with Web API latency, as the `cases` and `alerts` benchmarks measure: two warm-up runs
/// then `count` measured ones, `spacing` apart so Slack's pacing never delays what is measured.
enum PacedRuns {
    /// Each run returns its figures and when it started; the result is every figure's samples
    /// (measured runs only) and the Web API calls of the last run.
    static func measure(
        _ count: Int, figures: Int, latency: Duration, spacing: Duration, on simulator: SlackSimulator,
        _ run: (_ index: Int) async throws -> (figures: [Duration], started: ContinuousClock.Instant)
    ) async throws -> (samples: [Samples], criticalPath: String) {
        simulator.setLatency(latency)
        defer { simulator.setLatency(nil) }
        var samples = [Samples](repeating: Samples(), count: figures)
        var criticalPath = ""
        for index in -2..<count {
            simulator.clearCallLog()
            let (values, started) = try await run(index)
            if index >= 0 { for (figure, value) in values.enumerated() where figure < figures { samples[figure].append(value) } }
            if index == count - 1 { criticalPath = Format.calls(simulator.calls, since: started) }
            try await Task.sleep(for: spacing)
        }
        return (samples, criticalPath)
    }
}
