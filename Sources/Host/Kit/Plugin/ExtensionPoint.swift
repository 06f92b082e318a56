/// A named place where one plugin asks and others answer, in process: the Cases plugin asks
/// "status lines for this case" and the Roles or PagerDuty plugins contribute theirs. The plugin
/// that owns the point declares it as a static constant; contributors register with
/// ``Routes/contribute(to:_:)``.
public struct ExtensionPoint<Input: Sendable, Output: Sendable>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}

/// The contributions registered by all enabled plugins, keyed by extension point name.
public struct ExtensionPoints: Sendable {
    public typealias Contribution = @Sendable (any Sendable, PluginContext?) async throws -> any Sendable

    let contributions: [String: [(plugin: String, body: Contribution)]]
    let contextFor: @Sendable (String) -> PluginContext?

    public init(contributions: [String: [(plugin: String, body: Contribution)]], contextFor: @escaping @Sendable (String) -> PluginContext?) {
        self.contributions = contributions
        self.contextFor = contextFor
    }

    public static let none = ExtensionPoints(contributions: [:], contextFor: { _ in nil })

    /// Asks every contributor of `point`; a contributor that fails is skipped and logged by the caller's logger.
    public func collect<I, O>(_ point: ExtensionPoint<I, O>, _ input: I, logger: Logger) async -> [O] {
        var results: [O] = []
        for contribution in contributions[point.name] ?? [] {
            do {
                if let output = try await contribution.body(input, contextFor(contribution.plugin)) as? O {
                    results.append(output)
                }
            } catch {
                logger.warning("extension point contribution failed", metadata: [
                    "point": "\(point.name)", "contributor": "\(contribution.plugin)", "error": "\(error)",
                ])
            }
        }
        return results
    }
}

extension Routes {
    /// Answers an extension point owned by another (or this) plugin.
    public mutating func contribute<I, O>(to point: ExtensionPoint<I, O>, _ handler: @escaping Handler<I, O>) {
        appendContribution(ContributionRoute(pointName: point.name) { plugin, input, context in
            guard let typed = input as? I else { throw UserFacingError("wrong input for \(point.name)") }
            return try await handler(plugin, typed, context)
        })
    }
}

public struct ContributionRoute<P: Plugin>: Sendable {
    public let pointName: String
    public let handler: @Sendable (P, any Sendable, PluginContext) async throws -> any Sendable
}
