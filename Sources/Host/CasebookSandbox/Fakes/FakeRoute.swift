import Foundation

/// A method and a path pattern: literal segments, `:name` segments that capture one segment, and
/// a trailing `**` that captures the rest (possibly nothing) as the parameter `**`.
struct FakeRoute: Sendable {
    let method: String
    let pattern: [Substring]
    let handler: @Sendable (FakeRequest) async -> FakeResponse

    static let catchAll = "**"

    init(method: String, path: String, handler: @escaping @Sendable (FakeRequest) async -> FakeResponse) {
        self.method = method.uppercased()
        self.pattern = path.split(separator: "/")
        self.handler = handler
    }

    /// The captured parameters if `method` and `path` fit this route.
    func match(method: String, path: String) -> [String: String]? {
        guard method.uppercased() == self.method else { return nil }
        let segments = path.split(separator: "/")
        var parameters: [String: String] = [:]
        for (index, expected) in pattern.enumerated() {
            if expected == Self.catchAll, index == pattern.count - 1 {
                parameters[Self.catchAll] = segments.dropFirst(index).joined(separator: "/")
                return parameters
            }
            guard index < segments.count else { return nil }
            let segment = segments[index]
            if expected.hasPrefix(":") {
                parameters[String(expected.dropFirst())] = segment.removingPercentEncoding ?? String(segment)
            } else if expected != segment {
                return nil
            }
        }
        return segments.count == pattern.count ? parameters : nil
    }
}
