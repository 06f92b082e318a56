import CasebookKit

/// A message someone pointed at as evidence. Only where the message is and a link to it are kept,
/// never its text: Casebook does not read messages.
public struct Evidence: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var caseID: String
    public var permalink: String
    public var sourceChannel: String
    public var messageTS: String
    public var collectedBy: String
    public var collectedAt: Date

    public init(
        id: String, caseID: String, permalink: String, sourceChannel: String, messageTS: String,
        collectedBy: String, collectedAt: Date
    ) {
        self.id = id
        self.caseID = caseID
        self.permalink = permalink
        self.sourceChannel = sourceChannel
        self.messageTS = messageTS
        self.collectedBy = collectedBy
        self.collectedAt = collectedAt
    }
}
