/// One line of the append-only, hash-chained audit timeline.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var plugin: String
    /// Who did it: a Slack user id, or `casebook` for the system.
    public var actor: String
    /// What happened, e.g. `case.escalated`.
    public var action: String
    /// What it happened to, e.g. a case id.
    public var subject: String
    public var details: JSONValue
    public var at: Date

    public init(sequence: Int64, plugin: String, actor: String, action: String, subject: String, details: JSONValue, at: Date) {
        self.sequence = sequence
        self.plugin = plugin
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
        self.at = at
    }
}

public protocol AuditRecording: Sendable {
    func record(actor: String, action: String, subject: String, details: JSONValue) async throws
}

public protocol AuditReading: Sendable {
    /// Entries about `subject`, oldest first.
    func entries(subject: String) async throws -> [AuditEntry]
}
