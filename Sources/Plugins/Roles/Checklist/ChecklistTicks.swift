import CasebookKit
import CasesPlugin

/// Ticking and unticking checklist items. Slack sends every ticked box of the clicked group; the
/// group's block id says which items it showed, so the change is that difference against the
/// stored ticks. Each change is recorded with who and when, on the timeline too, and the message
/// is updated for everyone. Only members of the case channel tick; anyone else is told so,
/// privately, and nothing changes.
extension RolesPlugin {
    func checklistTicked(_ action: BlockAction, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: action.channelID ?? "", subcommand: "checklist", actor: action.userID, context)
        let shown = ChecklistMessage.keys(inBlock: action.blockID)
        guard let checklist = configuration.checklist, !shown.isEmpty else {
            throw UserFacingError("That checklist is out of date. `\(context.usage("checklist"))` posts the current one.")
        }
        let incident = try await ensureIncident(item, context)
        let caseID = item.id
        let ticked = Set(action.selectedValues)
        let now = context.clock.now()
        let known = try await context.storage.read { db in try await ChecklistStore.ticks(caseID: caseID, on: db) }
        let entries = Dictionary(
            ChecklistMessage.entries(checklist, severity: incident.severity, ticks: known).map { ($0.key, $0) },
            uniquingKeysWith: { first, _ in first })
        let actor = action.userID
        try await context.storage.transaction { tx in
            for key in shown {
                // An item neither on the list nor ticked any more (the file changed) has nothing to record.
                guard let entry = entries[key] else { continue }
                if ticked.contains(key) {
                    let tick = ChecklistTick(key: key, text: entry.text, by: actor, at: now)
                    if try await ChecklistStore.tick(caseID: caseID, tick, on: tx.sql) {
                        try await Self.recordChecklist(tx, actor: actor, caseID: caseID, ticked: true, entry.text)
                    }
                } else if try await ChecklistStore.untick(caseID: caseID, key: key, on: tx.sql) {
                    try await Self.recordChecklist(tx, actor: actor, caseID: caseID, ticked: false, entry.text)
                }
            }
        }
        await syncChecklist(caseID: caseID, context)
        return .ack
    }

    /// The timeline entry of one tick or untick, in words for `/case status` and the postmortem.
    static func recordChecklist(_ tx: Transaction, actor: String, caseID: String, ticked: Bool, _ text: String) async throws {
        try await tx.audit.record(
            actor: actor, action: ticked ? "roles.checklist_ticked" : "roles.checklist_unticked", subject: caseID,
            details: [
                "item": .string(text),
                "summary": .string(ticked ? "ticked ✅ “\(text)” on the checklist" : "unticked “\(text)” on the checklist"),
            ])
    }

    /// `/case checklist`: the checklist again at the bottom of the channel, pinned; the old copy goes.
    func checklistCommand(_ command: SlashCommand, _ context: PluginContext) async throws -> Reply {
        let item = try await incidentCase(inChannel: command.channelID, subcommand: command.subcommand, actor: command.userID, context)
        guard command.words.isEmpty else { throw UserFacingError("Usage: `\(context.usage("checklist"))` (no arguments), in an incident channel.") }
        let caseID = item.id
        let old = try await context.storage.read { db in try await ChecklistStore.message(caseID: caseID, on: db) }
        guard try await postChecklist(item, replacing: old, context) != nil else {
            throw UserFacingError("Someone posted the checklist again just now; it is at the bottom of the channel.")
        }
        let progress = try await checklistState(caseID, context)?.progress ?? ""
        return .ephemeral("📋 The checklist is posted again below and pinned (\(progress) done).")
    }
}
