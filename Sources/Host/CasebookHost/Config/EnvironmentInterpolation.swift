import Foundation

/// `${VAR}` and `${VAR:-default}` in scalar values, so secrets and per-deployment ids stay out of the
/// file. `$${` writes a literal `${`. As in the shell, the default is used when the variable is unset
/// or empty. Interpolation happens when a value is decoded, so a disabled plugin's variables need
/// not be set.
enum EnvironmentInterpolation {
    struct Failure: Error, Equatable {
        var message: String
    }

    static func interpolate(_ text: String, environment: [String: String]) throws(Failure) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("$${") {
                result += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("${") {
                let bodyStart = text.index(index, offsetBy: 2)
                guard let close = text[bodyStart...].firstIndex(of: "}") else {
                    throw Failure(message: "unterminated '${' (write '$${' for a literal '${')")
                }
                result += try substitute(String(text[bodyStart..<close]), environment: environment)
                index = text.index(after: close)
            } else {
                result.append(text[index])
                index = text.index(after: index)
            }
        }
        return result
    }

    private static func substitute(_ body: String, environment: [String: String]) throws(Failure) -> String {
        let name: String
        let fallback: String?
        if let separator = body.range(of: ":-") {
            name = String(body[..<separator.lowerBound])
            fallback = String(body[separator.upperBound...])
        } else {
            name = body
            fallback = nil
        }
        guard isVariableName(name) else {
            throw Failure(message: "'${\(body)}' is not a variable reference; use ${NAME} or ${NAME:-default}")
        }
        if let value = environment[name], !value.isEmpty || fallback == nil {
            return value
        }
        guard let fallback else {
            throw Failure(message: "environment variable '\(name)' is not set")
        }
        return fallback
    }

    private static func isVariableName(_ name: String) -> Bool {
        func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }
}
