import ArgumentParser

/// `casebook`: serve Slack, try it in the playground, check and describe the configuration, and
/// operate the database (migrations, jobs, audit, exports).
@main
struct Casebook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "casebook",
        abstract: "Incident response for Slack: investigations, incidents and the plugins around them.",
        discussion: """
            Configuration comes from plugins.yaml (--config, or CASEBOOK_CONFIG). Secrets and connections \
            come from the environment: SLACK_BOT_TOKEN, SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET \
            (HTTP mode), SLACK_API_URL, DATABASE_URL, PORT, LOG_LEVEL, LOG_FORMAT.
            """,
        subcommands: [
            Serve.self, Playground.self, CheckConfig.self, ManifestCommand.self, Migrate.self, Jobs.self, Audit.self,
            Export.self,
            Backup.self,
        ]
    )
}
