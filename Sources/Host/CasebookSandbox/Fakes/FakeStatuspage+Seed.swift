import Foundation

extension FakeStatuspage {
    /// The seeded page (12 lowercase alphanumerics, like Statuspage's ids) and its API key.
    public static let seededPageID = "csbk0page001"
    public static let seededAPIKey = "csbk-sim-statuspage-key-0001"

    /// A page for tests and the playground: API, Checkout, Webhooks and Dashboard, all operational.
    public static func seeded(now: @escaping @Sendable () -> Date = { Date() }) -> FakeStatuspage {
        FakeStatuspage(
            pageID: seededPageID, apiKeys: [seededAPIKey],
            components: [
                Component(id: "cmpapi000001", name: "API", description: "Public REST API"),
                Component(id: "cmpcheckout1", name: "Checkout", description: "Payments and checkout"),
                Component(id: "cmpwebhooks1", name: "Webhooks"),
                Component(id: "cmpdashboard", name: "Dashboard"),
            ],
            now: now)
    }
}
