import CasebookKit

/// The Events API v2 (`POST <events_url>/v2/enqueue`). The routing key travels in the body, so it
/// is declared a secret of every request; retries are safe because PagerDuty folds events with the
/// same dedup key into one alert.
struct EventsAPI {
    static let service = "PagerDuty"

    let baseURL: String
    let routingKey: String
    let http: any OutboundHTTP

    /// Sends `event`; returns the dedup key PagerDuty confirmed.
    func send(_ event: AlertEvent) async throws -> String {
        let request = OutboundRequest.json(
            .post, "\(baseURL)/v2/enqueue", integration: Self.service, body: event.body(routingKey: routingKey), retry: .safe,
            secrets: [routingKey])
        let response: OutboundResponse
        do {
            response = try await http.send(request)
        } catch var error as IntegrationError where error.status == 400 {
            // `{status, message, errors: [...]}`: the errors say which field is wrong.
            if let body = error.body, let json = try? JSONValue.decode(body) {
                let errors = json["errors"]?.array?.compactMap(\.string) ?? []
                error.serviceMessage = ([json["message"]?.string].compactMap { $0 } + errors).joined(separator: ": ")
            }
            throw error
        }
        let json = try response.json(integration: Self.service)
        // The official client treats a 2xx without a dedup key as a failure, and so does Casebook.
        guard let key = json["dedup_key"]?.string else {
            throw IntegrationError(integration: Self.service, kind: .invalidResponse("no dedup_key in the answer"), retryable: true)
        }
        return key
    }
}
