import Foundation

extension FakeLinear {
    /// The seeded workspace's personal API key (`lin_api_…`), an OAuth token, and its ids.
    public static let seededAPIKey = "lin_api_CasebookSimulatedKey000000000000001"
    public static let seededOAuthToken = "lin_oauth_CasebookSimulatedToken0000001"
    public static let seededTeamID = "6f1c2a4e-9b1d-4c7e-8a3f-2d5e7b9c1a01"
    public static let seededTeamKey = "ENG"
    public static let seededProjectID = "a3d5e7f9-1b2c-4d6e-8f0a-1c3e5a7b9d02"
    public static let seededPostmortemLabelID = "c9e1a3b5-7d2f-4a6c-9e8b-3f5a7c9e1b03"
    public static let seededIncidentLabelID = "d0f2b4c6-8e3a-4b7d-a09c-4a6b8d0f2c04"

    /// A workspace for tests and the playground: team ENG "Engineering" and OPS "Operations", the
    /// project "Reliability", labels "Postmortem" and "Incident"; the key belongs to Alice.
    public static func seeded(now: @escaping @Sendable () -> Date = { Date() }) -> FakeLinear {
        FakeLinear(
            organization: "casebook", apiKeys: [seededAPIKey], oauthTokens: [seededOAuthToken],
            viewer: User(id: "0b7d9f1a-3c5e-4f8a-b2d4-6e8f0a2c4e05", name: "Alice Archer", email: "alice@casebook.test"),
            teams: [
                Team(id: seededTeamID, key: seededTeamKey, name: "Engineering"),
                Team(id: "7e2d3b5f-0c2e-4d8f-9b4a-3e6f8c0d2b06", key: "OPS", name: "Operations"),
            ],
            labels: [Label(id: seededPostmortemLabelID, name: "Postmortem"), Label(id: seededIncidentLabelID, name: "Incident")],
            projects: [Project(id: seededProjectID, name: "Reliability")],
            now: now)
    }
}

extension FakeLinear: IntegrationFake {
    public var pluginID: String { "linear" }
    public var configOverrides: [String: String] { ["api_url": graphQLURL] }
    public var fakeServices: [FakeService] { [service] }
}
