/// What the host itself calls, whatever plugins are enabled: `users.info` for the user policy,
/// ephemeral messages and DMs for replies that cannot travel in an ack, and the slash command.
public enum HostScopes {
    public static let bot: Set<String> = ["commands", "users:read", "chat:write"]
}
