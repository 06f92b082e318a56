import CasebookSandbox

/// Every integration plugin switched on in the playground, each against its in-process fake: the
/// variables its `enabled: auto` entry in plugins.yaml reads are set to the fake account's
/// credentials, and the fake's URLs override the base URLs. `:calls` shows what each fake received.
enum PlaygroundIntegrations {
    static func fakes() -> [any IntegrationFake] {
        [FakePagerDuty.seeded(), FakeStatuspage.seeded(), FakeStatusPages.seeded(), FakeConfluence.seeded(), FakeLinear.seeded()]
    }

    /// Credentials of the fake accounts, under the variable names the shipped plugins.yaml uses.
    static let environment = [
        "PAGERDUTY_ROUTING_KEY": FakePagerDuty.seededRoutingKey,
        "PAGERDUTY_API_TOKEN": FakePagerDuty.seededAPIToken,
        "STATUSPAGE_API_KEY": FakeStatuspage.seededAPIKey,
        "STATUSPAGE_PAGE_ID": FakeStatuspage.seededPageID,
        "STATUSPAGE_URL": "https://status.casebook.test",
        "INCIDENT_EXTERNAL_PROVIDERS_LIST": FakeStatusPages.seededProviderList,
        "ALERTS_WEBHOOK_TOKEN": PlaygroundAlert.token,
        "ALERTS_HMAC_SECRET": PlaygroundAlert.hmacSecret,
        "CONFLUENCE_API_URL": "https://\(FakeConfluence.seededSite).atlassian.net/wiki",
        "CONFLUENCE_API_USERNAME": FakeConfluence.seededUsername,
        "CONFLUENCE_API_TOKEN": FakeConfluence.seededAPIToken,
        "CONFLUENCE_SPACE": FakeConfluence.seededSpace,
        "CONFLUENCE_PARENT_PAGE": FakeConfluence.seededParentPage,
        "LINEAR_API_KEY": FakeLinear.seededAPIKey,
        "LINEAR_TEAM_ID": FakeLinear.seededTeamID,
        "LINEAR_PROJECT_ID": FakeLinear.seededProjectID,
    ]
}
