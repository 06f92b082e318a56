extension PluginContext {
    /// Answers an invocation privately through its `response_url`, later than the ack — from a job
    /// that asked a third party, so the ack never waited on it. `replacing` replaces the message a
    /// button was clicked on. Slack allows five uses within 30 minutes of the invocation.
    public func respond(to responseURL: String, _ message: Message, replacing: Bool = false) async throws {
        var body = message.json
        body["response_type"] = "ephemeral"
        if replacing { body["replace_original"] = true }
        _ = try await http.send(.json(.post, responseURL, integration: "Slack", body: .object(body), retry: .safe))
    }
}
