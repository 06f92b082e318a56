/// A named place where one plugin asks and others answer, in process: the Cases plugin asks
/// "status lines for this case" and the Roles or PagerDuty plugins contribute theirs. The plugin
/// that owns the point declares it as a static constant; contributors register with
/// ``Routes/contribute(to:_:)``.
public struct ExtensionPoint<Input: Sendable, Output: Sendable>: Sendable {
    public let name: String
    public init(_ name: String) { self.name = name }
}

/// The contributions registered by all enabled plugins. The host resolves contributors lazily,
/// because every plugin's context exists before the last plugin has registered its routes.
public struct ExtensionPoints: Sendable {
    /// One plugin's answer to an extension point, already bound to that plugin and its context.
    public struct Contributor: Sendable {
        public let plugin: String
        public let answer: @Sendable (any Sendable) async throws -> any Sendable

        public init(plugin: String, answer: @escaping @Sendable (any Sendable) async throws -> any Sendable) {
            self.plugin = plugin
            self.answer = answer
        }
    }

    let contributors: @Sendable (String) -> [Contributor]

    public init(contributors: @escaping @Sendable (String) -> [Contributor]) {
        self.contributors = contributors
    }

    public static let none = ExtensionPoints { _ in [] }

    /// Asks every contributor of `point`; a contributor that fails is skipped and logged.
    public func collect<I, O>(_ point: ExtensionPoint<I, O>, _ input: I, logger: Logger) async -> [O] {
        var results: [O] = []
        for contributor in contributors(point.name) {
            do {
                if let output = try await contributor.answer(input) as? O {
                    results.append(output)
                }
            } catch {
                logger.warning("extension point contribution failed", metadata: [
                    "point": "\(point.name)", "contributor": "\(contributor.plugin)", "error": "\(error)",
                ])
            }
        }
        return results
    }
}

extension Routes {
    /// Answers an extension point owned by another (or this) plugin.
    public mutating func contribute<I, O, Context: RouteContext>(to point: ExtensionPoint<I, O>, use method: @escaping Method<I, O, Context>) {
        add(.contribution, point.name, use: method)
    }

    public mutating func contribute<I, O>(to point: ExtensionPoint<I, O>, _ handler: @escaping Handler<I, O>) {
        contribute(to: point, use: Self.method(handler))
    }
}
