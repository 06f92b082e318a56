/// Texts users may edit: `{{name}}` placeholders filled from values. Unknown placeholders stay
/// visible so a typo in a template shows up in Slack instead of vanishing.
public struct Template: Sendable, Equatable {
    public var source: String
    public init(_ source: String) { self.source = source }

    public func render(_ values: [String: String]) -> String {
        var output = ""
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            output += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let key = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            output += values[key] ?? "{{\(key)}}"
            rest = rest[close.upperBound...]
        }
        return output + rest
    }
}
