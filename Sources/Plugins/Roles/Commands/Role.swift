import CasebookKit
import CasesPlugin

/// `/case role <role> @user`, the control panel's users select per role and its claim buttons.
/// The commander role is handed over through the Cases plugin's transfer (one source of truth);
/// the other roles live in this plugin's table. Only members of the workspace can hold a role (not
/// guests when `host.guests: refuse`), and only people in the case channel can hand roles out.
extension RolesPlugin {
    func roleCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let usage = "Usage: `\(context.usage("role", "<\(configuration.roles.usage)> @user"))`"
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: command.userID, context)
        let words = command.words
        guard words.count >= 2, let target = parseUserMention(words.dropFirst().joined(separator: " ")) else {
            throw UserFacingError("Name a role and a person. \(usage)")
        }
        guard let role = configuration.roles.role(words[0]) else {
            throw UserFacingError("There is no role `\(words[0])`. \(usage)")
        }
        return .ephemeral(try await assign(role, to: target, by: command.userID, item, context))
    }

    /// A role's select on the incident panel: its action id names the role.
    func roleSelected(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        try await roleSelected(ActionID.role(in: action.actionID), action, context)
    }

    /// A role's Claim button on the incident panel.
    func roleClaimed(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        try await roleClaimed(ActionID.role(in: action.actionID), action, context)
    }

    func roleSelected(_ roleID: String, _ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", subcommand: "role", actor: action.userID, context)
        guard let role = configuration.roles.role(roleID), let target = action.selectedUser else { return .ack }
        // Picking the current holder again (or the select re-sending its initial user) changes nothing.
        if let incident = try await loadIncident(item.id, context), Self.holder(of: role, item, incident) == target { return .ack }
        _ = try await assign(role, to: target, by: action.userID, item, context)
        return .ack
    }

    func roleClaimed(_ roleID: String, _ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", subcommand: "role", actor: action.userID, context)
        guard let role = configuration.roles.role(roleID) else { return .ack }
        // Claiming command is for an incident nobody commands; handing it over is a transfer.
        if role.isCommander, let commander = item.commander {
            if commander == action.userID { throw UserFacingError("You are already the *\(role.name)*.") }
            throw CasesPlugin.commandHeldError(commander, context)
        }
        return .ephemeral(try await assign(role, to: action.userID, by: action.userID, item, context))
    }

    func assign(_ role: IncidentRole, to target: String, by actor: String, _ item: Case, _ context: PluginContext) async throws -> String {
        if role.isCommander {
            let outcome = await CaseDirectory(context: context).transferCommand(caseID: item.id, to: target, by: actor)
            guard outcome.succeeded else { throw UserFacingError(outcome.error ?? "Incident command could not be handed over.") }
            return "🎖️ \(SlackText.user(target)) is now the *\(role.name)*."
        }
        let incident = try await ensureIncident(item, context)
        let previous = incident.assignments[role.id]
        if previous == target { throw UserFacingError("\(SlackText.user(target)) is already the *\(role.name)*.") }
        try await requireMember(target, role: role, context)

        let caseID = item.id
        let now = context.clock.now()
        try await context.storage.transaction { tx in
            try await IncidentStore.assign(caseID: caseID, role: role.id, user: target, by: actor, at: now, on: tx.sql)
            try await tx.audit.record(
                actor: actor, action: "roles.role_assigned", subject: caseID,
                details: ["role": .string(role.id), "user": .string(target), "previous": previous.map(JSONValue.string) ?? .null])
            try await tx.events.publish(RoleAssigned(
                caseID: caseID, channelID: item.channelID, role: role.id, user: target, previous: previous, actor: actor))
        }
        do {
            try await context.slack.invite(channel: item.channelID, users: [target])
        } catch {
            context.logger.warning("role holder not invited", metadata: ["case": "\(caseID)", "error": "\(error)"])
        }
        let who = actor == target ? "\(SlackText.user(target)) took" : "\(SlackText.user(actor)) gave \(SlackText.user(target))"
        async let announced = announce(
            Message("🎭 \(who) the role *\(role.name)*" + (previous.map { " (previously \(SlackText.user($0)))" } ?? "") + "."),
            in: item.channelID, context)
        async let briefed: Void = brief(target, on: role, item, context)
        _ = await (announced, briefed)
        await sync(caseID: caseID, context)
        return "🎭 \(SlackText.user(target)) is now the *\(role.name)*."
    }

    /// Bots, deactivated and external (Slack Connect) users cannot hold roles: the same rule as the
    /// Cases plugin's transfer applies to the commander, so every role follows one rule.
    func requireMember(_ user: String, role: IncidentRole, _ context: PluginContext) async throws {
        let info: SlackUser
        do {
            info = try await context.slack.userInfo(user)
        } catch let error as SlackAPIError where error.code == "user_not_found" || error.code == "user_not_visible" {
            throw UserFacingError("I can't find \(SlackText.user(user)) in this workspace.")
        }
        guard user != context.installation.botUserID, context.installation.mayHoldRole(info) else {
            throw UserFacingError(
                "\(SlackText.user(user)) can't be the *\(role.name)*: only members of this workspace can hold incident roles "
                    + "(not bots, deactivated or external users\(context.installation.refusesGuests ? ", nor guests" : "")).")
        }
    }
}
