import CasebookKit

/// Routes `/hooks/<plugin>/<path>` to the webhook a plugin registered for that method and path.
struct PluginWebhooks: WebhookRouting {
    let registry: PluginRegistry
    let logger: Logger

    func serves(plugin id: String, method: WebhookRequest.Method, path: String) -> Bool {
        registry.route(.webhook, "\(method.rawValue) \(path)", plugin: id) != nil
    }

    func route(plugin id: String, _ request: WebhookRequest) async -> WebhookResponse? {
        guard let route = registry.route(.webhook, "\(request.method.rawValue) \(request.path)", plugin: id) else { return nil }
        do {
            return try await route(request) as? WebhookResponse
        } catch {
            let reference = Dispatcher.correlationID()
            logger.error("webhook failed", metadata: ["plugin": "\(id)", "path": "\(request.path)", "ref": "\(reference)", "error": "\(error)"])
            return .json(["ok": false, "error": "internal_error", "ref": .string(reference)], status: 500)
        }
    }
}
