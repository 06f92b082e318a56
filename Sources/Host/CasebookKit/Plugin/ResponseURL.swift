/// Posts a message to an invocation's `response_url`: a reply that missed the ack, a reply to a
/// button click, or a later answer from a job. It is Slack traffic and goes out the way the rest of
/// the host's Slack traffic does (the Web API client's transport, retries and metrics).
public protocol ResponseURLPosting: Sendable {
    func post(_ url: String, body: JSONValue) async throws
}

extension PluginContext {
    /// Answers an invocation privately through its `response_url`, later than the ack — from a job
    /// that asked a third party, so the ack never waited on it. `replacing` replaces the message a
    /// button was clicked on. Slack allows five uses within 30 minutes of the invocation.
    public func respond(to responseURL: String, _ message: Message, replacing: Bool = false) async throws {
        var body = message.json
        body["response_type"] = "ephemeral"
        if replacing { body["replace_original"] = true }
        guard let poster = slack as? any ResponseURLPosting else {
            throw SlackAPIError(method: "response_url", code: "response_url_not_supported")
        }
        try await poster.post(responseURL, body: .object(body))
    }
}
