import Foundation

extension FakeConfluence {
    public static let seededSite = "casebook-sim"
    public static let seededUsername = "casebook@casebook.test"
    public static let seededAPIToken = "csbk-sim-confluence-token-0001"
    /// The space RCAs go to, and the page they go under.
    public static let seededSpace = "ENG"
    public static let seededParentPage = "Incident RCAs"
    /// A space the API user may read but not add to (403 on create).
    public static let seededReadOnlySpace = "LEGAL"

    /// A site for tests and the playground: space ENG with "Incident RCAs", and the read-only LEGAL.
    public static func seeded(now: @escaping @Sendable () -> Date = { Date() }) -> FakeConfluence {
        FakeConfluence(
            siteName: seededSite, credentials: [seededUsername: seededAPIToken],
            spaces: [
                Space(key: seededSpace, id: "98305", name: "Engineering"),
                Space(key: seededReadOnlySpace, id: "98306", name: "Legal", canAdd: false),
            ],
            pages: [
                Page(id: "65601", spaceKey: seededSpace, title: "Engineering Home"),
                Page(id: "65602", spaceKey: seededSpace, title: seededParentPage, parentID: "65601"),
                Page(id: "65603", spaceKey: seededReadOnlySpace, title: seededParentPage),
            ],
            now: now)
    }
}
