import CasebookKit

/// Routes `/hooks/<plugin>/<path>` to the webhook a plugin registered for that method and path.
struct PluginWebhooks: WebhookRouting {
    let registry: PluginRegistry
    let logger: Logger

    func serves(plugin id: String, method: WebhookRequest.Method, path: String) -> Bool {
        registry.plugin(id)?.webhooks.contains { $0.method == method && $0.path == path } ?? false
    }

    func route(plugin id: String, _ request: WebhookRequest) async -> WebhookResponse? {
        guard let plugin = registry.plugin(id),
              let entry = plugin.webhooks.first(where: { $0.method == request.method && $0.path == request.path })
        else { return nil }
        do {
            return try await entry.handler(request, plugin.context)
        } catch {
            let reference = Dispatcher.correlationID()
            logger.error("webhook failed", metadata: ["plugin": "\(id)", "path": "\(request.path)", "ref": "\(reference)", "error": "\(error)"])
            return .json(["ok": false, "error": "internal_error", "ref": .string(reference)], status: 500)
        }
    }
}
