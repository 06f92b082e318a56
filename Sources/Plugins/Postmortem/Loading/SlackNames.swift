import CasebookKit

/// Slack user ids to the names people know (`users.info`, which needs `users:read` in the plugin
/// that loads a postmortem). A name Slack does not give stays the id: the document never guesses.
struct SlackNames: Sendable {
    /// More distinct people than this in one case are shown by id (a bound on `users.info` calls).
    static let maximumLookups = 60

    let slack: any SlackAPI
    let logger: Logger

    func names(for ids: [String]) async -> [String: PostmortemDocument.Person] {
        var people: [String: PostmortemDocument.Person] = [:]
        var looked = 0
        for id in ids where people[id] == nil {
            if id == "casebook" || id.isEmpty {
                people[id] = PostmortemDocument.Person(id: id, name: "Casebook")
                continue
            }
            guard looked < Self.maximumLookups else {
                people[id] = PostmortemDocument.Person(id: id, name: id)
                continue
            }
            looked += 1
            do {
                let user = try await slack.userInfo(id)
                let name = [user.realName, user.name].first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? id
                people[id] = PostmortemDocument.Person(id: id, name: name)
            } catch {
                logger.debug("postmortem: no Slack name for a user", metadata: ["user": "\(id)", "error": "\(error)"])
                people[id] = PostmortemDocument.Person(id: id, name: id)
            }
        }
        return people
    }
}
