import Crypto

/// "This side effect needs a named person's approval first", as a primitive any plugin can use.
///
/// A plugin proposes an action (its kind, a JSON payload, who may approve), shows it with
/// Approve/Reject buttons that carry the approval's id and ``Approval/contentHash``, and lets the
/// gate decide. ``approve(_:by:allowed:shownHash:then:)`` is the one way to approval: in one
/// transaction it re-reads the approval, checks that it is still pending, that the approver is
/// allowed and that the content is exactly what the approver saw, and only then records the
/// approval and queues the work (`then`) with it. The work itself runs through
/// ``execute(_:_:)``, which re-reads the approval again and refuses unless it is approved and
/// unchanged — so approving twice executes once, an edit after approval voids it, and a missing or
/// forged approval row executes nothing. Every step is on the audit timeline of the subject.
/// The gate knows nothing about what is approved (a status page update, a deploy).
public protocol ApprovalGate: Sendable {
    /// Records a pending approval for `proposal`, proposed by `user`.
    func propose(_ proposal: Proposal, by user: String) async throws -> Approval
    /// Replaces the payload of a pending or approved (not yet executed) approval. A changed payload
    /// voids an approval: it is pending again, with a new content hash.
    func revise(_ id: String, payload: JSONValue, by user: String) async throws -> GateOutcome
    /// Withdraws an approval that has not been executed; it can never be approved afterwards.
    func discard(_ id: String, by user: String) async throws -> GateOutcome
    /// The approval as stored, or nil.
    func approval(_ id: String) async throws -> Approval?
    /// The pending and approved approvals of `subject`, newest first.
    func open(subject: String) async throws -> [Approval]
    /// The gate. Approves `id` for `user` if, re-read in this transaction, it is pending, `user` is
    /// in `allowed` (the plugin resolves roles such as "commander" to user ids before calling) and
    /// its content hash equals `shownHash`; then runs `then` in the same transaction (queue the
    /// durable work there).
    func approve(
        _ id: String, by user: String, allowed: Set<String>, shownHash: String,
        then: @escaping @Sendable (Transaction, Approval) async throws -> Void
    ) async throws -> GateOutcome
    /// Rejects a pending approval (same checks as ``approve(_:by:allowed:shownHash:then:)`` for who).
    func reject(_ id: String, by user: String, allowed: Set<String>) async throws -> GateOutcome
    /// Runs `effect` for an approved, unchanged approval and marks it executed; refuses otherwise.
    /// `effect` returns details for the timeline (a created incident's id). If `effect` throws, the
    /// approval stays approved so a retry can execute it.
    func execute(_ id: String, _ effect: @Sendable (Approval) async throws -> JSONValue) async throws -> GateOutcome
}

/// What a plugin asks approval for.
public struct Proposal: Sendable, Equatable {
    /// What kind of action, e.g. `statuspage.publish`.
    public var kind: String
    /// What it is about, e.g. a case id (its audit timeline gets every step).
    public var subject: String
    public var payload: JSONValue
    /// Who may approve, as the plugin understands it: user ids, or role names such as `commander`.
    public var approvers: [String]

    public init(kind: String, subject: String, payload: JSONValue, approvers: [String]) {
        self.kind = kind
        self.subject = subject
        self.payload = payload
        self.approvers = approvers
    }
}

/// A proposal and where it stands.
public struct Approval: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable { case pending, approved, rejected, executed, discarded }

    public var id: String
    public var plugin: String
    public var kind: String
    public var subject: String
    public var payload: JSONValue
    /// SHA-256 of the payload's canonical JSON: what the approver saw.
    public var contentHash: String
    public var approvers: [String]
    public var state: State
    public var proposedBy: String
    public var decidedBy: String?
    public var decidedAt: Date?
    public var executedAt: Date?
    /// What ``ApprovalGate/execute(_:_:)``'s effect returned.
    public var result: JSONValue?
    public var updatedAt: Date

    public init(
        id: String, plugin: String, kind: String, subject: String, payload: JSONValue, contentHash: String, approvers: [String],
        state: State, proposedBy: String, decidedBy: String?, decidedAt: Date?, executedAt: Date?, result: JSONValue?, updatedAt: Date
    ) {
        self.id = id
        self.plugin = plugin
        self.kind = kind
        self.subject = subject
        self.payload = payload
        self.contentHash = contentHash
        self.approvers = approvers
        self.state = state
        self.proposedBy = proposedBy
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.executedAt = executedAt
        self.result = result
        self.updatedAt = updatedAt
    }
}

/// What the gate did, and if it refused, why (in words for the person who clicked).
public enum GateOutcome: Sendable, Equatable {
    case done(Approval)
    case refused(Refusal, Approval?)

    public enum Refusal: String, Sendable, Equatable {
        case notFound, notAllowed, changed, alreadyApproved, alreadyExecuted, notPending, notApproved, discarded, rejected

        public var message: String {
            switch self {
            case .notFound: "There is no such approval."
            case .notAllowed: "You are not one of the approvers of this action."
            case .changed: "It was edited after you saw it; review the new version first."
            case .alreadyApproved: "It is approved already."
            case .alreadyExecuted: "It was carried out already."
            case .notPending: "It is not waiting for a decision."
            case .notApproved: "It is not approved (or its approval was voided by an edit)."
            case .discarded: "It was discarded."
            case .rejected: "It was rejected."
            }
        }
    }

    public var approval: Approval? {
        switch self {
        case .done(let approval): approval
        case .refused(_, let approval): approval
        }
    }

    public var succeeded: Bool {
        if case .done = self { return true }
        return false
    }

    /// Why it was refused; nil when done.
    public var refusal: Refusal? {
        if case .refused(let refusal, _) = self { return refusal }
        return nil
    }
}

/// A content hash that does not depend on key order: what an approver saw is what is executed.
public enum ContentHash {
    public static func of(_ payload: JSONValue) -> String {
        SHA256.hash(data: Data(payload.encoded().utf8)).hexString
    }
}
