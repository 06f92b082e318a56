/// The fake of one integration plugin's third-party service(s). ``SandboxHost`` and the playground
/// start it next to the Slack simulator and point the plugin's base-URL config keys at it, so the
/// plugin runs unchanged against it.
public protocol IntegrationFake: Sendable {
    /// The plugin whose configuration is pointed here (`pagerduty`).
    var pluginID: String { get }
    /// Config key → this fake's base URL, valid after ``start()`` (`events_url`, `api_url`).
    var configOverrides: [String: String] { get }
    /// Its HTTP services, for call logs (`:calls`).
    var fakeServices: [FakeService] { get }
    func start() async throws
    func stop() async
}

extension FakePagerDuty: IntegrationFake {
    public var pluginID: String { "pagerduty" }
    public var configOverrides: [String: String] { ["events_url": events.baseURL, "api_url": rest.baseURL] }
    public var fakeServices: [FakeService] { [events, rest] }
}

extension FakeStatuspage: IntegrationFake {
    public var pluginID: String { "statuspage" }
    public var configOverrides: [String: String] { ["api_url": service.baseURL] }
    public var fakeServices: [FakeService] { [service] }
}

extension FakeStatusPages: IntegrationFake {
    public var pluginID: String { "status_providers" }
    /// Every provider is read at `<baseURL>/<name>/…` (the plugin's key for tests and the playground).
    public var configOverrides: [String: String] { ["base_url_override": service.baseURL] }
    public var fakeServices: [FakeService] { [service] }
}
