import CasebookKit

/// Private cases (`allow_private: true`): `/case open --private <description>` and the Start
/// modal's "Private" box open the case in a private channel with only the opener in it (the
/// response group joins on escalation, as for any case). What the case shows elsewhere follows
/// ``Case/publicTitle``; who counts as "in it" is the channel's live member list.
extension CasesPlugin {
    /// The option that asks for a private case.
    static let privateFlag = "--private"

    /// Asked for only with `allow_private: true`: private channels are created, archived and given a
    /// topic with `groups:write`, invited to with `groups:write.invites`, and their members read
    /// (who may see a private case's title, and `member_joined_channel` in them) with `groups:read`.
    static let privateCaseScopes: Set<String> = ["groups:write", "groups:write.invites", "groups:read"]

    /// Splits `--private` (a word anywhere in the arguments) from the description.
    static func privateRequest(_ arguments: String) -> (isPrivate: Bool, description: String) {
        let words = arguments.split(whereSeparator: \.isWhitespace)
        let rest = words.filter { $0 != privateFlag }
        return (rest.count != words.count, rest.joined(separator: " "))
    }

    /// Refuses a private case while `allow_private` is off, before anything is opened.
    func requirePrivateAllowed() throws {
        guard !configuration.allowPrivate else { return }
        throw UserFacingError(
            "Private cases are not enabled here, so nothing was opened. An admin enables them with `allow_private: true` in the "
                + "`cases` section of plugins.yaml and reinstalls the app from `casebook manifest` (it then asks for the `groups:write` scopes). "
                + "Without `\(Self.privateFlag)` the case opens in a public channel.")
    }

    /// The private cases among `cases` whose channel `user` is not in: they show ``Case/publicTitle``
    /// and no channel link to them. Membership is Slack's (`conversations.members`), read for the
    /// private cases only and concurrently; a case whose members cannot be read stays hidden.
    func casesHidden(_ cases: [Case], from user: String, _ context: PluginContext) async -> Set<String> {
        let privateCases = cases.filter(\.isPrivate)
        guard !privateCases.isEmpty else { return [] }
        return await withTaskGroup(of: String?.self) { group in
            for item in privateCases {
                group.addTask {
                    do {
                        return try await self.membershipProblem(user, item, context) == nil ? nil : item.id
                    } catch {
                        context.logger.warning("private case membership not read; its title stays hidden", metadata: ["case": "\(item.id)", "error": "\(error)"])
                        return item.id
                    }
                }
            }
            var hidden = Set<String>()
            for await id in group { if let id { hidden.insert(id) } }
            return hidden
        }
    }
}
