import CasebookKit
import Yams

/// One pass over a composed `plugins.yaml`: the top level, the host section, each plugin entry and
/// each enabled plugin's configuration, then the dependencies between plugins. Problems accumulate
/// instead of stopping the pass.
struct DocumentLoader {
    struct Result {
        var host: HostConfiguration
        var plugins: [LoadedPlugin]
        var disabled: [String]
        var offReasons: [String: String]
    }

    /// What the file says about one listed plugin.
    private struct Listing {
        var type: any Plugin.Type
        var enabled: Bool?
        var position: SourcePosition
        var configuration: (any Sendable)?
        var offReason: String?
    }

    let environment: [String: String]
    let available: [any Plugin.Type]
    /// Handed to plugin configurations for their literature files (see ``YAMLLiterature``).
    var literature: (any LiteratureLoading)?
    /// Config values set over the file's: plugin id → key → value.
    var overrides: [String: [String: String]] = [:]
    private(set) var problems: [LocatedProblem] = []
    private(set) var warnings: [LocatedProblem] = []

    init(environment: [String: String], available: [any Plugin.Type], literature: (any LiteratureLoading)? = nil) {
        self.environment = environment
        self.literature = literature
        var seen = Set<String>()
        self.available = available.filter { seen.insert($0.id).inserted }
    }

    mutating func load(_ document: Node) -> Result? {
        let start = SourcePosition(line: 1, column: 1)
        let root = isNull(document) ? ConfigurationLoader.emptyMapping : document
        guard case .mapping(let top) = root else {
            problems.append(LocatedProblem(
                position: SourcePosition(root.mark, fallback: start), path: ConfigPath(),
                message: "expected a mapping with 'host' and 'plugins', found \(describe(root))"))
            return nil
        }
        reportUnknownTopLevelKeys(top)
        let host = loadHost(top, root: root)
        let listings = loadPlugins(top)
        let ordered = order(listings)
        var plugins: [LoadedPlugin] = []
        for id in ordered {
            if let listing = listings[id], let configuration = listing.configuration {
                plugins.append(LoadedPlugin(type: listing.type, configuration: configuration))
            }
        }
        var disabled: [String] = []
        var offReasons: [String: String] = [:]
        for type in available where listings[type.id]?.enabled != true {
            disabled.append(type.id)
            offReasons[type.id] = listings[type.id].map { $0.offReason ?? "enabled: false" } ?? "not listed"
        }
        return Result(host: host, plugins: plugins, disabled: disabled.sorted(), offReasons: offReasons)
    }

    private mutating func reportUnknownTopLevelKeys(_ top: Node.Mapping) {
        for pair in top {
            guard let name = pair.key.scalar?.string, name != "host", name != "plugins" else { continue }
            var message = "unknown key '\(name)', "
            if let suggestion = KeySuggestion.closest(to: name, among: ["host", "plugins"]) {
                message += "did you mean '\(suggestion)'?"
            } else {
                message += "expected 'host' or 'plugins'"
            }
            problems.append(LocatedProblem(
                position: SourcePosition(pair.key.mark, fallback: SourcePosition(line: 1, column: 1)),
                path: ConfigPath(keys: name), message: message))
        }
    }

    // MARK: host

    private mutating func loadHost(_ top: Node.Mapping, root: Node) -> HostConfiguration {
        let path = ConfigPath(keys: "host")
        let fallback = SourcePosition(top.keyNode(named: "host")?.mark, fallback: SourcePosition(line: 1, column: 1))
        var node = top.value(named: "host") ?? ConfigurationLoader.emptyMapping
        if isNull(node) { node = ConfigurationLoader.emptyMapping }
        let outcome = SectionDecoder.decode(HostSection.self, from: node, at: path, fallback: fallback, environment: environment)
        problems += outcome.problems
        guard let section = outcome.value else { return HostConfiguration() }
        let (configuration, rangeProblems) = section.resolved { Self.position(of: $0, in: root, fallback: fallback) }
        problems += rangeProblems
        return configuration
    }

    // MARK: plugins

    private mutating func loadPlugins(_ top: Node.Mapping) -> [String: Listing] {
        let pluginsPosition = SourcePosition(top.keyNode(named: "plugins")?.mark, fallback: SourcePosition(line: 1, column: 1))
        var listings: [String: Listing] = [:]
        if let section = top.value(named: "plugins"), !isNull(section) {
            guard case .mapping(let entries) = section else {
                problems.append(LocatedProblem(
                    position: SourcePosition(section.mark, fallback: pluginsPosition), path: ConfigPath(keys: "plugins"),
                    message: "expected a mapping of plugin ids, found \(describe(section))"))
                return [:]
            }
            for (key, value) in entries {
                guard let id = key.scalar?.string else { continue }
                let position = SourcePosition(key.mark, fallback: pluginsPosition)
                guard let type = available.first(where: { $0.id == id }) else {
                    reportUnknownPlugin(id, at: position)
                    continue
                }
                listings[id] = loadEntry(type, id: id, node: value, keyPosition: position)
            }
        }
        for type in available where listings[type.id] == nil {
            warnings.append(LocatedProblem(
                position: pluginsPosition, path: ConfigPath(keys: "plugins"),
                message: "plugin '\(type.id)' is not listed, so it is disabled"))
        }
        return listings
    }

    private mutating func reportUnknownPlugin(_ id: String, at position: SourcePosition) {
        let known = available.map { $0.id }.sorted()
        var message = "unknown plugin '\(id)'"
        if let suggestion = KeySuggestion.closest(to: id, among: known) {
            message += ", did you mean '\(suggestion)'?"
        }
        message += known.isEmpty ? " (no plugins are available)" : " (available: \(known.joined(separator: ", ")))"
        problems.append(LocatedProblem(position: position, path: ConfigPath(keys: "plugins", id), message: message))
    }

    private mutating func loadEntry(_ type: any Plugin.Type, id: String, node: Node, keyPosition: SourcePosition) -> Listing {
        let path = ConfigPath(keys: "plugins", id)
        let entryNode = isNull(node) ? ConfigurationLoader.emptyMapping : node
        let outcome = SectionDecoder.decode(PluginEntry.self, from: entryNode, at: path, fallback: keyPosition, environment: environment)
        problems += outcome.problems
        var listing = Listing(type: type, enabled: outcome.value.map { $0.enabled != .off }, position: keyPosition)
        guard listing.enabled == true, case .mapping(let entry) = entryNode else { return listing }
        if outcome.value?.enabled == .auto, let missing = firstEmptyRequiredKey(type, entry: entry, overridden: Set(overrides[id]?.keys ?? [:].keys)) {
            listing.enabled = false
            listing.offReason = "auto: \(path.appending(key: "config").appending(key: missing)) is empty"
            return listing
        }

        let configPath = path.appending(key: "config")
        // Without a `config` key, a missing required key points at the plugin's entry.
        let configPosition = SourcePosition(entry.keyNode(named: "config")?.mark, fallback: SourcePosition(entryNode.mark, fallback: keyPosition))
        var configNode = entry.value(named: "config") ?? ConfigurationLoader.emptyMapping
        if isNull(configNode) { configNode = ConfigurationLoader.emptyMapping }
        if let values = overrides[id], case .mapping(var mapping) = configNode {
            for (key, value) in values { mapping[key] = Node(value) }
            configNode = .mapping(mapping)
        }
        let configuration = type.decodeConfigurationSection(
            node: configNode, path: configPath, fallback: configPosition, environment: environment, literature: literature)
        problems += configuration.problems
        listing.configuration = configuration.value
        return listing
    }

    /// The first of the plugin's ``Requirements/requiredConfigKeys`` whose value is missing or
    /// empty once `${VAR}`s are filled in (a variable that is not set counts as empty here).
    private func firstEmptyRequiredKey(_ type: any Plugin.Type, entry: Node.Mapping, overridden: Set<String>) -> String? {
        let config: Node.Mapping? = if case .mapping(let mapping) = entry.value(named: "config") { mapping } else { nil }
        for key in type.requirements.requiredConfigKeys where !overridden.contains(key) {
            guard let node = config?.value(named: key) else { return key }
            switch node {
            case .scalar(let scalar):
                let value = (try? EnvironmentInterpolation.interpolate(scalar.string, environment: environment)) ?? ""
                if value.trimmingCharacters(in: .whitespaces).isEmpty || isNull(node) { return key }
            case .sequence(let items): if items.isEmpty { return key }
            case .mapping(let pairs): if pairs.isEmpty { return key }
            case .alias: return key
            }
        }
        return nil
    }

    // MARK: dependencies

    /// Enabled plugin ids, dependencies first; reports dependencies that are not enabled and cycles.
    private mutating func order(_ listings: [String: Listing]) -> [String] {
        let enabled = available.map { $0.id }.filter { listings[$0]?.enabled == true }
        for id in enabled {
            guard let listing = listings[id] else { continue }
            for dependency in listing.type.requirements.dependencies where listings[dependency]?.enabled != true {
                let state: String
                if let other = listings[dependency] {
                    state = other.enabled == false ? "which is disabled" : "whose entry is invalid"
                } else if available.contains(where: { $0.id == dependency }) {
                    state = "which is disabled (it is not listed under plugins)"
                } else {
                    state = "which is not available in this build"
                }
                problems.append(LocatedProblem(
                    position: listing.position, path: ConfigPath(keys: "plugins", id),
                    message: "needs plugin '\(dependency)', \(state)"))
            }
        }

        var ordered: [String] = []
        var done = Set<String>()
        var inProgress: [String] = []
        func visit(_ id: String) {
            guard !done.contains(id), let listing = listings[id], listing.enabled == true else { return }
            if let start = inProgress.firstIndex(of: id) {
                let cycle = (inProgress[start...] + [id]).joined(separator: " → ")
                problems.append(LocatedProblem(
                    position: listing.position, path: ConfigPath(keys: "plugins", id),
                    message: "plugins depend on each other in a cycle: \(cycle)"))
                return
            }
            inProgress.append(id)
            for dependency in listing.type.requirements.dependencies { visit(dependency) }
            inProgress.removeLast()
            if done.insert(id).inserted { ordered.append(id) }
        }
        for id in enabled { visit(id) }
        return ordered
    }

    // MARK: helpers

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return ScalarKind(text: scalar.string, plain: scalar.isPlain) == .null
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): ScalarKind(text: scalar.string, plain: scalar.isPlain).article
        }
    }

    /// The position of the node at `path`, or of its nearest ancestor that is present.
    static func position(of path: ConfigPath, in root: Node, fallback: SourcePosition) -> SourcePosition {
        var node = root
        var position = SourcePosition(root.mark, fallback: fallback)
        for component in path.components {
            switch (component, node) {
            case (.key(let key), .mapping(let mapping)):
                guard let value = mapping.value(named: key) else { return position }
                node = value
            case (.index(let index), .sequence(let sequence)) where sequence.indices.contains(index):
                node = sequence[index]
            default:
                return position
            }
            position = SourcePosition(node.mark, fallback: position)
        }
        return position
    }
}

/// A plugin's entry under `plugins:`. `config` is decoded separately, with the plugin's own type.
private struct PluginEntry: Decodable {
    enum CodingKeys: String, CodingKey {
        case enabled, config
    }

    /// `true`, `false`, or `auto`: on when the plugin's required config keys are all non-empty.
    enum Enabled: Equatable { case on, off, auto }

    var enabled: Enabled

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = container.contains(.config)  // known here, read later
        if let flag = try? container.decode(Bool.self, forKey: .enabled) {
            enabled = flag ? .on : .off
        } else if let word = try? container.decode(String.self, forKey: .enabled), word == "auto" {
            enabled = .auto
        } else if !container.contains(.enabled) {
            enabled = try container.decode(Bool.self, forKey: .enabled)  // the usual "missing key" problem
                ? .on : .off
        } else {
            throw DecodingError.dataCorruptedError(forKey: .enabled, in: container, debugDescription: "expected true, false or auto")
        }
    }
}

extension Plugin {
    /// Called on the existential metatype, so the plugin's own `Configuration` type is decoded.
    static func decodeConfigurationSection(
        node: Node, path: ConfigPath, fallback: SourcePosition, environment: [String: String],
        literature: (any LiteratureLoading)? = nil
    ) -> SectionDecoder.Outcome<any Sendable> {
        let outcome = SectionDecoder.decode(
            Configuration.self, from: node, at: path, fallback: fallback, environment: environment, literature: literature)
        return SectionDecoder.Outcome(value: outcome.value.map { $0 as any Sendable }, problems: outcome.problems)
    }
}
