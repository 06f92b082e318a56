import CasebookKit

/// One item of `providers` as written: a known name, or `{name, url, kind}`. The list itself may
/// be a YAML list, a comma-separated string or a JSON array string — the last two because
/// incident-bot's `INCIDENT_EXTERNAL_PROVIDERS_LIST` was documented as one and parsed as the other.
struct ProviderEntry: Decodable, Sendable, Equatable {
    var name: String
    var url: String?
    var kind: Provider.Kind?

    enum CodingKeys: String, CodingKey { case name, url, kind }

    init(name: String, url: String? = nil, kind: Provider.Kind? = nil) {
        self.name = name
        self.url = url
        self.kind = kind
    }

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(name: text)
        } else {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let kindText = try container.decodeIfPresent(String.self, forKey: .kind)?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            var kind: Provider.Kind?
            if !kindText.isEmpty {
                guard let parsed = Provider.Kind(rawValue: kindText) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .kind, in: container,
                        debugDescription: "must be one of \(Provider.Kind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(kindText)'")
                }
                kind = parsed
            }
            self.init(name: try container.decode(String.self, forKey: .name), url: try container.decodeServiceURL(forKey: .url, default: nil), kind: kind)
        }
        name = name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The entries of a `providers` value, however they were written.
    static func list(in decoder: any Decoder) throws -> [ProviderEntry] {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.hasPrefix("[") else {
                return trimmed.split(separator: ",").map { ProviderEntry(name: $0.trimmingCharacters(in: .whitespaces).lowercased()) }.filter { !$0.name.isEmpty }
            }
            do {
                return try JSONValue.decode(trimmed).decode(as: [ProviderEntry].self).filter { !$0.name.isEmpty }
            } catch {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "looks like a JSON array but is not one of names or {name, url, kind}: \(error)")
            }
        }
        return try container.decode([ProviderEntry].self).filter { !$0.name.isEmpty }
    }

    /// Why an entry names no provider, said under the `providers` key by the caller.
    struct Problem: Error { var reason: String }

    /// The provider this entry means: a known one (its URL or kind replaceable), or one given in full.
    func resolved() throws(Problem) -> Provider {
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw Problem(reason: "'\(name)' is not a provider name (letters, digits, - and _)")
        }
        let known = KnownProviders.named(name)
        if let url {
            return Provider(name: name, title: known?.title, url: url, kind: kind ?? known?.kind ?? .statuspage)
        }
        guard let known else {
            throw Problem(reason: "'\(name)' is not a known provider; give its status page as {name: \(name), url: https://…, kind: statuspage}, "
                + "or use one of: \(KnownProviders.all.map(\.name).joined(separator: ", "))")
        }
        return Provider(name: known.name, title: known.title, url: known.url, kind: kind ?? known.kind)
    }
}

/// `providers`: names of known providers or `{name, url, kind}`, as a YAML list, a comma-separated
/// string or a JSON array (what `INCIDENT_EXTERNAL_PROVIDERS_LIST` holds), each resolved to the
/// provider it means; a problem is placed at the key.
public enum ProviderList: ConfigurationReader {
    public static func read(from decoder: any Decoder) throws -> [Provider] {
        var providers: [Provider] = []
        for entry in try ProviderEntry.list(in: decoder) {
            let provider: Provider
            do {
                provider = try entry.resolved()
            } catch {
                throw DecodingError.dataCorruptedError(in: try decoder.singleValueContainer(), debugDescription: error.reason)
            }
            guard !providers.contains(where: { $0.name == provider.name }) else {
                throw DecodingError.dataCorruptedError(in: try decoder.singleValueContainer(), debugDescription: "lists '\(provider.name)' twice")
            }
            providers.append(provider)
        }
        return providers
    }
}
