import CasebookKit

/// What a verified POST to the Slack Request URL carries, told apart the way Bolt does: JSON is
/// the Events API, a form with `payload=` is interactivity, a form with `command=` is a slash
/// command, and `ssl_check=1` is Slack probing the certificate.
enum SlackRequestBody: Sendable, Equatable {
    case urlVerification(challenge: String)
    case sslCheck
    case delivery(kind: Inbound.Kind, payload: JSONValue)

    struct Unrecognised: Error {}

    init(body: [UInt8], contentType: String?) throws {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let looksLikeJSON = body.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }) == UInt8(ascii: "{")
        if mediaType == "application/json" || (mediaType.isEmpty && looksLikeJSON) {
            guard let json = try? JSONValue.decode(Data(body)), json.object != nil else { throw Unrecognised() }
            if json["type"]?.string == "url_verification" {
                guard let challenge = json["challenge"]?.string else { throw Unrecognised() }
                self = .urlVerification(challenge: challenge)
            } else {
                // event_callback and the rarer outer types (app_rate_limited) all go to the dispatcher.
                self = .delivery(kind: .eventsAPI, payload: json)
            }
            return
        }
        let fields = Self.formFields(String(decoding: body, as: UTF8.self))
        if fields["ssl_check"] == "1" {
            self = .sslCheck
        } else if let payload = fields["payload"] {
            guard let json = try? JSONValue.decode(payload), json.object != nil else { throw Unrecognised() }
            self = .delivery(kind: .interactive, payload: json)
        } else if fields["command"] != nil {
            self = .delivery(kind: .slashCommand, payload: .object(fields.mapValues(JSONValue.string)))
        } else {
            throw Unrecognised()
        }
    }

    /// `application/x-www-form-urlencoded` fields (`+` is a space; the last duplicate wins).
    static func formFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            fields[name] = parts.count > 1 ? (decode(parts[1]) ?? "") : ""
        }
        return fields
    }

    private static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
