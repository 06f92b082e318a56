import CasebookKit
import Foundation
import Synchronization

/// The Events API v2 (`events.pagerduty.com`): alert events and change events, validated the way
/// PagerDuty reports problems (reference/integrations.md §1.1–1.2): one message per problem, all
/// problems in one 400.
extension FakePagerDuty.Account {
    static let maximumEventSize = 512 * 1024
    static let severities: Set<String> = ["critical", "error", "warning", "info"]

    func register(events: FakeService) {
        events.route("POST", "/v2/enqueue") { [self] in enqueue($0) }
        events.route("POST", "/v2/change/enqueue") { [self] in enqueueChange($0) }
        events.summarize = Self.summarizeEvent
    }

    func enqueue(_ request: FakeRequest) -> FakeResponse {
        let event: JSONValue
        switch Self.eventObject(request) {
        case .success(let object): event = object
        case .failure(let refusal): return refusal.response
        }
        let action = event["event_action"]?.string.flatMap(FakePagerDuty.AcceptedEvent.Action.init(rawValue:))
        var errors = routingKeyErrors(event["routing_key"])
        errors += Self.actionErrors(event["event_action"], action: action)
        errors += Self.dedupKeyErrors(event["dedup_key"], required: action == .acknowledge || action == .resolve)
        if action == .trigger { errors += Self.payloadErrors(event["payload"], requireSourceAndSeverity: true) }
        errors += Self.linkErrors(event["links"]) + Self.imageErrors(event["images"])
        guard errors.isEmpty, let action, let routingKey = event["routing_key"]?.string else {
            return EventRefusal.invalid(errors).response
        }
        if let throttled = throttle(routingKey) { return throttled }
        let payload = event["payload"]
        let dedupKey = event["dedup_key"]?.string ?? UUID().uuidString.lowercased()
        apply(FakePagerDuty.AcceptedEvent(
            action: action, routingKey: routingKey, dedupKey: dedupKey,
            summary: payload?["summary"]?.string, severity: payload?["severity"]?.string, source: payload?["source"]?.string,
            customDetails: payload?["custom_details"],
            links: (event["links"]?.array ?? []).compactMap(FakePagerDuty.Link.init),
            images: (event["images"]?.array ?? []).compactMap(FakePagerDuty.Image.init),
            body: event, receivedAt: now()))
        return .json(["status": "success", "message": "Event processed", "dedup_key": .string(dedupKey)], status: 202)
    }

    /// Change events carry no action or dedup key, never page anyone, and refuse ruleset keys.
    func enqueueChange(_ request: FakeRequest) -> FakeResponse {
        let event: JSONValue
        switch Self.eventObject(request) {
        case .success(let object): event = object
        case .failure(let refusal): return refusal.response
        }
        var errors = routingKeyErrors(event["routing_key"])
        if let key = event["routing_key"]?.string, key.hasPrefix("R") {
            errors.append("'routing_key' is a ruleset key: change events must use an integration key")
        }
        errors += Self.payloadErrors(event["payload"], requireSourceAndSeverity: false) + Self.linkErrors(event["links"])
        guard errors.isEmpty, let routingKey = event["routing_key"]?.string, let summary = event["payload"]?["summary"]?.string else {
            return EventRefusal.invalid(errors).response
        }
        if let throttled = throttle(routingKey) { return throttled }
        let change = FakePagerDuty.ChangeEvent(
            routingKey: routingKey, summary: summary, source: event["payload"]?["source"]?.string,
            customDetails: event["payload"]?["custom_details"],
            links: (event["links"]?.array ?? []).compactMap(FakePagerDuty.Link.init), body: event, receivedAt: now())
        ledger.withLock { $0.changeEvents.append(change) }
        return .json(["status": "success", "message": "Change event processed"], status: 202)
    }

    /// 429 when the key's limiter is on and full. The body is not documented; this one is the
    /// events API's error shape.
    private func throttle(_ routingKey: String) -> FakeResponse? {
        let now = now()
        let admitted = ledger.withLock { ledger -> Bool in
            guard var limiter = ledger.eventLimiter else { return true }
            defer { ledger.eventLimiter = limiter }
            return limiter.admit(routingKey, at: now)
        }
        guard !admitted else { return nil }
        return .json([
            "status": "throttle event",
            "message": "Requests for this service are arriving too quickly. Please retry later.",
            "errors": ["Request throttled"],
        ], status: 429)
    }

    // MARK: Validation

    /// Why an event was refused before anything looked at its fields.
    enum EventRefusal: Error {
        case unrecognized
        case invalid([String])

        var response: FakeResponse {
            switch self {
            case .unrecognized:
                return .json(["status": "Unrecognized object", "message": "Event object format is unrecognized", "errors": ["JSON parse error"]], status: 400)
            case .invalid(let errors):
                return .json(["status": "invalid event", "message": "Event object is invalid", "errors": .array(errors.map(JSONValue.string))], status: 400)
            }
        }
    }

    /// The body as a JSON object, or why not. The 512 KB limit is documented; the answer to a
    /// bigger event is not, so it is reported like any invalid event.
    static func eventObject(_ request: FakeRequest) -> Result<JSONValue, EventRefusal> {
        guard request.body.count <= maximumEventSize else {
            return .failure(.invalid(["Event object is too large (maximum is 512 KB)"]))
        }
        guard let json = request.json, json.object != nil else { return .failure(.unrecognized) }
        return .success(json)
    }

    /// Blank, or every format problem at once, or — when the format is right — unknown.
    func routingKeyErrors(_ value: JSONValue?) -> [String] {
        guard let key = value?.string, !key.trimmingCharacters(in: .whitespaces).isEmpty else {
            return ["'routing_key' cannot be blank"]
        }
        var errors: [String] = []
        if key.count != 32 { errors.append("Length of 'routing_key' is incorrect (should be 32 characters)") }
        if !key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            errors.append("'routing_key' cannot contain non-alphanumeric characters.")
        }
        if errors.isEmpty, !routingKeys.contains(key) { errors.append("Invalid routing key") }
        return errors
    }

    static func actionErrors(_ value: JSONValue?, action: FakePagerDuty.AcceptedEvent.Action?) -> [String] {
        guard let text = value?.string, !text.isEmpty else { return ["'event_action' is missing or blank"] }
        guard action == nil else { return [] }
        return ["'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')"]
    }

    static func dedupKeyErrors(_ value: JSONValue?, required: Bool) -> [String] {
        guard let value, !value.isNull else { return required ? ["'dedup_key' is missing or blank"] : [] }
        guard let key = value.string else { return ["'dedup_key' must be a string"] }
        if key.isEmpty, required { return ["'dedup_key' is missing or blank"] }
        return key.count > 255 ? ["'dedup_key' is too long (maximum is 255 characters)"] : []
    }

    /// `payload.summary` (≤1024) always; `source` and `severity` on triggers.
    static func payloadErrors(_ value: JSONValue?, requireSourceAndSeverity: Bool) -> [String] {
        guard let payload = value, payload.object != nil else { return ["'payload' is missing or blank"] }
        var errors: [String] = []
        if let summary = payload["summary"]?.string, !summary.isEmpty {
            if summary.count > 1024 { errors.append("'payload.summary' is too long (maximum is 1024 characters)") }
        } else {
            errors.append("'payload.summary' is missing or blank")
        }
        guard requireSourceAndSeverity else { return errors }
        if payload["source"]?.string?.isEmpty ?? true { errors.append("'payload.source' is missing or blank") }
        if let severity = payload["severity"]?.string, !severity.isEmpty {
            if !severities.contains(severity) {
                errors.append("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')")
            }
        } else {
            errors.append("'payload.severity' is missing or blank")
        }
        if let details = payload["custom_details"], details.object == nil, !details.isNull {
            errors.append("'payload.custom_details' must be an object")
        }
        return errors
    }

    static func linkErrors(_ value: JSONValue?) -> [String] {
        guard let value, !value.isNull else { return [] }
        guard let links = value.array else { return ["'links' must be an array"] }
        return links.indices.compactMap { index in
            FakePagerDuty.Link(links[index]) == nil ? "'links[\(index)].href' is missing or blank" : nil
        }
    }

    static func imageErrors(_ value: JSONValue?) -> [String] {
        guard let value, !value.isNull else { return [] }
        guard let images = value.array else { return ["'images' must be an array"] }
        return images.indices.compactMap { index in
            guard let image = FakePagerDuty.Image(images[index]) else { return "'images[\(index)].src' is missing or blank" }
            return image.src.lowercased().hasPrefix("https://") ? nil : "'images[\(index)].src' must be an HTTPS URL"
        }
    }

    // MARK: Call log

    /// `POST /v2/enqueue · trigger dedup_key=… severity=critical summary="…"`.
    @Sendable static func summarizeEvent(_ request: FakeRequest) -> String {
        guard let event = request.json, event.object != nil else { return "\(request.line) · (not a JSON object)" }
        let action = request.path.hasSuffix("/change/enqueue") ? "change" : event["event_action"]?.string ?? "(no event_action)"
        var parts = [action]
        if let dedupKey = event["dedup_key"]?.string { parts.append("dedup_key=\(dedupKey)") }
        if let severity = event["payload"]?["severity"]?.string { parts.append("severity=\(severity)") }
        if let summary = event["payload"]?["summary"]?.string { parts.append("summary=\(JSONValue.string(summary).encoded())") }
        return "\(request.line) · \(parts.joined(separator: " "))"
    }
}
