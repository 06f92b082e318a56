import Foundation

extension FakeStatusPages {
    /// Pages for tests and the playground: GitHub, Cloudflare and Auth0 (Statuspage), Heroku and
    /// Slack with their own APIs — all operational until a scenario is set.
    public static let seededPages: [Page] = [
        Page(name: "github", title: "GitHub", host: "www.githubstatus.com", pageID: "kctbh9vrtdwd"),
        Page(name: "cloudflare", title: "Cloudflare", host: "www.cloudflarestatus.com", pageID: "yh6f0r4529hb"),
        Page(name: "auth0", title: "Auth0", host: "status.auth0.com"),
        Page(name: "heroku", title: "Heroku", api: .heroku, host: "status.heroku.com"),
        Page(name: "slack", title: "Slack", api: .slack, host: "slack-status.com"),
    ]

    /// The seeded pages' names, comma-separated, as `INCIDENT_EXTERNAL_PROVIDERS_LIST` takes them.
    public static var seededProviderList: String { seededPages.map(\.name).joined(separator: ",") }

    public static func seeded(now: @escaping @Sendable () -> Date = { Date() }) -> FakeStatusPages {
        FakeStatusPages(pages: seededPages, now: now)
    }
}
