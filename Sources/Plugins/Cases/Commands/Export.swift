import CasebookKit

/// `/case export`: every case as CSV, uploaded to the requester's direct message with the app.
extension CasesPlugin {
    public static let exportPageSize = 1_000

    func export(_ command: SlashCommand, _ context: InvocationContext) async throws -> Reply {
        // The user policy has usually fetched the requester already.
        let requester = try await context.actingUser()
        guard configuration.mayExport(requester, installationTeam: context.installation.teamID) else {
            if requester.isGuest || !requester.isMember(of: context.installation.teamID) {
                throw UserFacingError("Guests and people from other organisations cannot export cases.")
            }
            if configuration.exportAuthorizedUsers.isEmpty {
                throw UserFacingError(
                    "Only workspace admins and owners may export cases while `plugins.cases.config.export_authorized_users` "
                        + "(EXPORT_AUTHORIZED_USERS) is empty; ask an admin, or have the people who export listed there.")
            }
            throw UserFacingError("You are not allowed to export cases. Ask someone listed in the Cases plugin's `export_authorized_users`.")
        }
        let now = context.clock.now()
        // Streamed twice, never held: a page of cases at a time into a temporary file, then the file
        // in chunks to Slack, so memory stays flat however many cases there are. Only this process's
        // user may read the file (0600), it is removed whatever happens, and every file operation
        // runs off the event loop (ExportFile, and the host's upload reads through its thread pool).
        let file = try await ExportFile.create()
        let count: Int
        let filename = "casebook-cases-\(Self.fileStamp(now)).csv"
        do {
            count = try await CaseExport.write(storage: context.storage, pageSize: Self.exportPageSize, now: now) { chunk in
                try await file.append(chunk)
            }
            try await file.close()
            let directMessage = try await context.slack.openDirectMessage(with: command.userID)
            try await context.slack.uploadFile(
                channel: directMessage, filename: filename, title: "Casebook cases export", contentsOf: file.url,
                comment: "Your export of \(count) case\(count == 1 ? "" : "s").")
        } catch {
            await file.remove()
            throw error
        }
        await file.remove()
        try await context.storage.transaction { tx in
            try await tx.audit.record(actor: command.userID, action: "cases.exported", subject: "cases", details: ["cases": .number(Double(count))])
        }
        return .ephemeral("📤 Sent you \(filename) (\(count) case\(count == 1 ? "" : "s")) in a direct message.")
    }

    static func fileStamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmm"
        return formatter.string(from: date)
    }

    /// The same CSV for the command line (`casebook export cases --format csv`): written chunk by
    /// chunk to `write` (e.g. a `FileHandle`), one page of cases at a time, so memory stays flat for
    /// any number of cases. `storage` is the Cases plugin's storage. Returns the number of cases.
    @discardableResult
    public static func exportCSV(
        storage: any PluginStorage, pageSize: Int = exportPageSize, now: Date = Date(), write: (String) throws -> Void
    ) async throws -> Int {
        try await CaseExport.write(storage: storage, pageSize: pageSize, now: now, write)
    }
}
