import CasebookKit
import CasesPlugin

extension PagerDutyPlugin {
    /// A `/case page` on its way to PagerDuty.
    struct PageRequest: Codable, Sendable, Equatable {
        var caseID: String
        var channelID: String
        var caseTitle: String
        var service: String
        var message: String
        var user: String
    }

    static let page = IntegrationCall<PageRequest>("page", service: RESTAPI.service)

    /// `/case page <service name or id> [message]` in an incident channel: queued as a durable call;
    /// the channel hears who was paged when PagerDuty has answered.
    func pageCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        guard configuration.apiToken != nil else { return .ephemeral(Self.restNotConfigured(for: "page someone into a case")) }
        let (service, message) = Self.parsePage(command.arguments)
        guard let service else { throw UserFacingError("Usage: \(context.usage("page", "<service name or id> [message]"))") }
        guard let item = await CaseDirectory(context: context).case(inChannel: command.channelID) else {
            throw UserFacingError("Use \(context.usage("page")) in the channel of an incident.")
        }
        guard item.status == .escalated else {
            throw UserFacingError("This case is \(item.status.label.lowercased()); paging is for incidents (\(context.usage("incident")) escalates it).")
        }
        let request = PageRequest(
            caseID: item.id, channelID: item.channelID, caseTitle: item.title, service: service, message: message, user: command.userID)
        try await context.storage.transaction { tx in
            try await tx.jobs.enqueue(
                Self.page, request,
                notice: FailureNotice(
                    channel: item.channelID, subject: item.id, action: "page *\(SlackText.escaped(service))*",
                    fix: "check the service's name or id in PagerDuty and `plugins.pagerduty.config.api_token`"),
                dedupeKey: "page:\(item.id):\(service.lowercased())", at: context.clock.now())
        }
        return .ephemeral("Paging *\(SlackText.escaped(service))* through PagerDuty… this channel will hear who was paged.")
    }

    /// `"Database team" disk is full` → ("Database team", "disk is full"); `PDB123` → ("PDB123", "").
    static func parsePage(_ arguments: String) -> (service: String?, message: String) {
        let text = arguments.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return (nil, "") }
        if text.hasPrefix("\""), let close = text.dropFirst().firstIndex(of: "\"") {
            let name = String(text[text.index(after: text.startIndex)..<close]).trimmingCharacters(in: .whitespaces)
            return (name.isEmpty ? nil : name, String(text[text.index(after: close)...]).trimmingCharacters(in: .whitespaces))
        }
        let parts = text.split(separator: " ", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : "")
    }

    /// The page job: find the service, create the incident with a key stable for the case and the
    /// service (a retry or a second `/case page` pages nobody twice), then tell the channel.
    func pageJob(_ request: PageRequest, _ context: PluginContext) async throws {
        guard let api = restAPI(context) else { throw PermanentJobFailure(Self.restNotConfigured(for: "page someone")) }
        guard let service = try await api.service(named: request.service) else {
            throw IntegrationError.rejected(RESTAPI.service, "there is no PagerDuty service named or with the id '\(request.service)'")
        }
        if let earlier = try await context.storage.read({ db in try await AlertStore.page(caseID: request.caseID, serviceID: service.id, on: db) }) {
            let link = earlier.incidentURL.map { " (<\($0)|PagerDuty incident>)" } ?? ""
            await context.announce(Message(
                "*\(SlackText.escaped(service.name))* was paged for this incident already by <@\(earlier.pagedBy)>\(link); nobody was paged twice."),
                in: request.channelID)
            return
        }
        let from = try await fromAddress(for: request.user, context)
        let key = "casebook-\(request.caseID)-\(service.id)"
        let details = request.message.isEmpty ? "Paged from Slack by Casebook for: \(request.caseTitle)" : request.message
        let incident = try await api.createIncident(
            serviceID: service.id, title: request.caseTitle, details: details, incidentKey: key, from: from)
        let now = context.clock.now()
        let record = PageRecord(
            serviceID: service.id, serviceName: service.name, incidentKey: key, incidentURL: incident.url, pagedBy: request.user, pagedAt: now)
        try await context.storage.transaction { tx in
            try await AlertStore.recordPage(caseID: request.caseID, record, on: tx.sql)
            try await tx.audit.record(
                actor: request.user, action: "pagerduty.paged", subject: request.caseID,
                details: ["service": .string(service.name), "incident_key": .string(key), "incident": .string(incident.id)])
        }
        let oncall = (try? await api.oncalls(policies: service.escalationPolicy.map { [$0] } ?? [], schedules: []))?.filter { $0.level == 1 } ?? []
        let slack = await slackUsers(for: oncall, context)
        let who = oncall.map { person in slack[person.userID].map { "<@\($0)>" } ?? SlackText.escaped(person.name) }
        var text = "<@\(request.user)> paged *\(SlackText.escaped(service.name))* through PagerDuty"
        if let url = incident.url { text += " (<\(url)|incident\(incident.number.map { " #\($0)" } ?? "")>)" }
        text += who.isEmpty ? "." : ": \(who.joined(separator: ", ")) \(who.count == 1 ? "is" : "are") on call."
        if !request.message.isEmpty { text += "\n> \(SlackText.escaped(request.message))" }
        await context.announce(Message(text), in: request.channelID)
    }

    /// The paging user's e-mail (PagerDuty's `From`), else the configured `from_email`.
    func fromAddress(for user: String, _ context: PluginContext) async throws -> String {
        if let email = try? await context.slack.userInfo(user).email, !email.isEmpty { return email }
        if let email = configuration.fromEmail { return email }
        throw IntegrationError.rejected(
            RESTAPI.service, "PagerDuty needs the e-mail address of a PagerDuty user to create an incident, and <@\(user)>'s is not visible")
    }
}
