import CasebookKit

/// The approval gate of one plugin, on `casebook_approvals`. Each decision re-reads its row in the
/// transaction that changes it (`FOR UPDATE` on PostgreSQL; SQLite has one writer), so two clicks,
/// two replicas or an edit racing an approval resolve to one outcome. Every step is appended to the
/// subject's audit timeline in the same transaction.
struct ApprovalStore: ApprovalGate {
    let database: Database
    let plugin: String

    private static let columns = """
        id, plugin, kind, subject, payload, content_hash, approvers, state, proposed_by, decided_by, decided_at, executed_at, result, updated_at
        """

    func propose(_ proposal: Proposal, by user: String) async throws -> Approval {
        let now = database.clock.now()
        let approval = Approval(
            id: UUID().uuidString.lowercased(), plugin: plugin, kind: proposal.kind, subject: proposal.subject, payload: proposal.payload,
            contentHash: ContentHash.of(proposal.payload), approvers: proposal.approvers, state: .pending, proposedBy: user,
            decidedBy: nil, decidedAt: nil, executedAt: nil, result: nil, updatedAt: now)
        let approvers = JSONValue.array(proposal.approvers.map { .string($0) }).encoded()
        try await database.inTransaction { sql in
            try await sql.raw("""
                INSERT INTO casebook_approvals (id, plugin, kind, subject, payload, content_hash, approvers, state, proposed_by, created_at, updated_at)
                VALUES (\(bind: approval.id), \(bind: plugin), \(bind: approval.kind), \(bind: approval.subject), \(bind: approval.payload.encoded()),
                        \(bind: approval.contentHash), \(bind: approvers), 'pending', \(bind: user), \(bind: millis(now)), \(bind: millis(now)))
                """).run()
            try await record(sql, approval, actor: user, action: "proposed")
        }
        return approval
    }

    func revise(_ id: String, payload: JSONValue, by user: String) async throws -> GateOutcome {
        try await decide(id) { sql, approval in
            switch approval.state {
            case .executed: return .refused(.alreadyExecuted, approval)
            case .discarded: return .refused(.discarded, approval)
            case .rejected: return .refused(.rejected, approval)
            case .pending, .approved: break
            }
            var revised = approval
            revised.payload = payload
            revised.contentHash = ContentHash.of(payload)
            guard revised.contentHash != approval.contentHash else { return .done(approval) }
            let voided = approval.state == .approved
            revised.state = .pending
            revised.decidedBy = nil
            revised.decidedAt = nil
            try await write(sql, revised)
            try await record(sql, revised, actor: user, action: voided ? "voided" : "revised")
            return .done(revised)
        }
    }

    func discard(_ id: String, by user: String) async throws -> GateOutcome {
        try await decide(id) { sql, approval in
            switch approval.state {
            case .executed: return .refused(.alreadyExecuted, approval)
            case .discarded: return .refused(.discarded, approval)
            case .rejected, .pending, .approved: break
            }
            var discarded = approval
            discarded.state = .discarded
            try await write(sql, discarded)
            try await record(sql, discarded, actor: user, action: "discarded")
            return .done(discarded)
        }
    }

    func approval(_ id: String) async throws -> Approval? {
        let plugin = plugin
        return try await database.withSession { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM casebook_approvals WHERE id = \(bind: id) AND plugin = \(bind: plugin)")
                .first().map(Self.approval)
        }
    }

    func open(subject: String) async throws -> [Approval] {
        let plugin = plugin
        return try await database.withSession { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM casebook_approvals
                WHERE plugin = \(bind: plugin) AND subject = \(bind: subject) AND state IN ('pending', 'approved')
                ORDER BY updated_at DESC
                """).all().map(Self.approval)
        }
    }

    func approve(
        _ id: String, by user: String, allowed: Set<String>, shownHash: String,
        then: @escaping @Sendable (Transaction, Approval) async throws -> Void
    ) async throws -> GateOutcome {
        let plugin = plugin
        let database = database
        return try await decide(id) { sql, approval in
            switch approval.state {
            case .approved: return .refused(.alreadyApproved, approval)
            case .executed: return .refused(.alreadyExecuted, approval)
            case .discarded: return .refused(.discarded, approval)
            case .rejected: return .refused(.rejected, approval)
            case .pending: break
            }
            guard allowed.contains(user) else {
                try await record(sql, approval, actor: user, action: "refused")
                return .refused(.notAllowed, approval)
            }
            guard approval.contentHash == shownHash else { return .refused(.changed, approval) }
            var approved = approval
            approved.state = .approved
            approved.decidedBy = user
            approved.decidedAt = database.clock.now()
            try await write(sql, approved)
            try await record(sql, approved, actor: user, action: "approved")
            try await then(
                Transaction(
                    sql: sql, events: database.events(plugin: plugin), jobs: database.jobs(plugin: plugin),
                    audit: database.audit(plugin: plugin), deliveries: database.deliveries(plugin: plugin)),
                approved)
            return .done(approved)
        }
    }

    func reject(_ id: String, by user: String, allowed: Set<String>) async throws -> GateOutcome {
        try await decide(id) { sql, approval in
            guard approval.state == .pending else { return .refused(.notPending, approval) }
            guard allowed.contains(user) else { return .refused(.notAllowed, approval) }
            var rejected = approval
            rejected.state = .rejected
            rejected.decidedBy = user
            rejected.decidedAt = database.clock.now()
            try await write(sql, rejected)
            try await record(sql, rejected, actor: user, action: "rejected")
            return .done(rejected)
        }
    }

    func execute(_ id: String, _ effect: @Sendable (Approval) async throws -> JSONValue) async throws -> GateOutcome {
        // Checked in its own transaction first (so a refused execution never calls out), then the
        // effect runs outside any transaction (it talks to a third party), then the result is
        // written only if the row is still the approved one the effect saw.
        let checked = try await decide(id) { _, approval in
            switch approval.state {
            case .approved: return .done(approval)
            case .executed: return .refused(.alreadyExecuted, approval)
            case .discarded: return .refused(.discarded, approval)
            case .rejected: return .refused(.rejected, approval)
            case .pending: return .refused(.notApproved, approval)
            }
        }
        guard case .done(let approval) = checked else { return checked }
        let result = try await effect(approval)
        return try await decide(id) { sql, current in
            guard current.state == .approved, current.contentHash == approval.contentHash else {
                // Edited while the effect ran: what went out is on the timeline; the edit waits for approval.
                try await record(sql, current, actor: "casebook", action: "executed_after_edit")
                return .refused(.changed, current)
            }
            var executed = current
            executed.state = .executed
            executed.executedAt = database.clock.now()
            executed.result = result
            try await write(sql, executed)
            try await record(sql, executed, actor: current.decidedBy ?? "casebook", action: "executed")
            return .done(executed)
        }
    }

    // MARK: Rows

    /// Re-reads the approval in a transaction and lets `body` decide; a missing row is refused.
    private func decide(_ id: String, _ body: @escaping @Sendable (any SQLDatabase, Approval) async throws -> GateOutcome) async throws -> GateOutcome {
        let plugin = plugin
        let lock = database.isPostgres ? "FOR UPDATE" : ""
        return try await database.inTransaction { sql in
            guard let row = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM casebook_approvals WHERE id = \(bind: id) AND plugin = \(bind: plugin) \(unsafeRaw: lock)
                """).first()
            else { return .refused(.notFound, nil) }
            return try await body(sql, try Self.approval(row))
        }
    }

    private func write(_ sql: any SQLDatabase, _ approval: Approval) async throws {
        let now = millis(database.clock.now())
        try await sql.raw("""
            UPDATE casebook_approvals SET payload = \(bind: approval.payload.encoded()), content_hash = \(bind: approval.contentHash),
                state = \(bind: approval.state.rawValue), decided_by = \(bind: approval.decidedBy),
                decided_at = \(bind: approval.decidedAt.map(millis)), executed_at = \(bind: approval.executedAt.map(millis)),
                result = \(bind: approval.result?.encoded()), updated_at = \(bind: now)
            WHERE id = \(bind: approval.id)
            """).run()
    }

    /// `<plugin>.approval_<action>` on the subject's timeline: proposed, revised, voided (an edit
    /// after approval), discarded, refused (not an approver), approved, rejected, executed.
    private func record(_ sql: any SQLDatabase, _ approval: Approval, actor: String, action: String) async throws {
        try await database.audit(plugin: plugin).record(
            actor: actor, action: "\(plugin).approval_\(action)", subject: approval.subject,
            details: ["approval": .string(approval.id), "kind": .string(approval.kind), "content_hash": .string(approval.contentHash)])
    }

    private static func approval(_ row: any SQLRow) throws -> Approval {
        let approvers = try JSONValue.decode(try row.decode(column: "approvers", as: String.self)).array?.compactMap(\.string) ?? []
        return Approval(
            id: try row.decode(column: "id", as: String.self),
            plugin: try row.decode(column: "plugin", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            payload: try JSONValue.decode(try row.decode(column: "payload", as: String.self)),
            contentHash: try row.decode(column: "content_hash", as: String.self),
            approvers: approvers,
            state: Approval.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .discarded,
            proposedBy: try row.decode(column: "proposed_by", as: String.self),
            decidedBy: try row.decode(column: "decided_by", as: String?.self),
            decidedAt: try row.decode(column: "decided_at", as: Int64?.self).map { date(millis: $0) },
            executedAt: try row.decode(column: "executed_at", as: Int64?.self).map { date(millis: $0) },
            result: try row.decode(column: "result", as: String?.self).map { try JSONValue.decode($0) },
            updatedAt: date(millis: try row.decode(column: "updated_at", as: Int64.self)))
    }
}
