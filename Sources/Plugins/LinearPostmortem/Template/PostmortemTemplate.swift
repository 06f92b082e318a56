import CasebookKit

/// The Markdown of the description: built in, or the file `template` names (an editable
/// copy ships as `templates/linear/postmortem.md`).
public enum PostmortemTemplate {
    public static let builtIn = """
        # Postmortem: {{title}}

        **Severity:** {{severity}} · **Commander:** {{commander}}

        ## Impact

        ## Root cause

        ## Actions
        """

    static func load<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> String {
        let path = try container.decodeIfPresent(String.self, forKey: key)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !path.isEmpty else { return builtIn }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "the file '\(path)' cannot be read")
        }
    }
}
