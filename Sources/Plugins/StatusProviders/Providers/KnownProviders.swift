/// Providers that can be named without a URL. The Statuspage-hosted pages are those of
/// reference/integrations.md §3.2 (Atlassian by product: `status.atlassian.com` is a landing page);
/// Heroku and Slack have their own APIs. OpenAI, Linear and others moved to incident.io, whose
/// pages are HTML: they are not listed, and given with a URL they read as "status unknown".
public enum KnownProviders {
    public static let all: [Provider] = [
        Provider(name: "github", title: "GitHub", url: "https://www.githubstatus.com"),
        Provider(name: "cloudflare", title: "Cloudflare", url: "https://www.cloudflarestatus.com"),
        Provider(name: "confluence", title: "Confluence", url: "https://confluence.status.atlassian.com"),
        Provider(name: "jira", title: "Jira", url: "https://jira-software.status.atlassian.com"),
        Provider(name: "jira-service-management", title: "Jira Service Management", url: "https://jira-service-management.status.atlassian.com"),
        Provider(name: "bitbucket", title: "Bitbucket", url: "https://bitbucket.status.atlassian.com"),
        Provider(name: "trello", title: "Trello", url: "https://trello.status.atlassian.com"),
        Provider(name: "opsgenie", title: "Opsgenie", url: "https://opsgenie.status.atlassian.com"),
        Provider(name: "loom", title: "Loom", url: "https://loom.status.atlassian.com"),
        Provider(name: "anthropic", title: "Anthropic", url: "https://status.anthropic.com"),
        Provider(name: "datadog", title: "Datadog", url: "https://status.datadoghq.com"),
        Provider(name: "twilio", title: "Twilio", url: "https://status.twilio.com"),
        Provider(name: "digitalocean", title: "DigitalOcean", url: "https://status.digitalocean.com"),
        Provider(name: "netlify", title: "Netlify", url: "https://www.netlifystatus.com"),
        Provider(name: "vercel", title: "Vercel", url: "https://www.vercel-status.com"),
        Provider(name: "sentry", title: "Sentry", url: "https://status.sentry.io"),
        Provider(name: "newrelic", title: "New Relic", url: "https://status.newrelic.com"),
        Provider(name: "circleci", title: "CircleCI", url: "https://status.circleci.com"),
        Provider(name: "npm", title: "npm", url: "https://status.npmjs.org"),
        Provider(name: "dropbox", title: "Dropbox", url: "https://status.dropbox.com"),
        Provider(name: "zoom", title: "Zoom", url: "https://status.zoom.us"),
        Provider(name: "reddit", title: "Reddit", url: "https://www.redditstatus.com"),
        Provider(name: "figma", title: "Figma", url: "https://status.figma.com"),
        Provider(name: "auth0", title: "Auth0", url: "https://status.auth0.com"),
        Provider(name: "heroku", title: "Heroku", url: "https://status.heroku.com", kind: .heroku),
        Provider(name: "slack", title: "Slack", url: "https://slack-status.com", kind: .slack),
    ]

    public static func named(_ name: String) -> Provider? {
        all.first { $0.name == name }
    }
}
