import CasebookKit

// The domain events of the case lifecycle. Each is published in the same transaction as the state
// change it reports (outbox), carries a snapshot of the case after the change, and is delivered to
// subscribers at least once: subscribers key their work on `case.id` plus the event to stay idempotent.

/// An investigation was opened and its channel created.
public struct CaseOpened: CaseLifecycleEvent, Equatable {
    public static let name = "cases.opened"
    public var `case`: Case
    public var actor: String
    public init(case: Case, actor: String) {
        self.case = `case`
        self.actor = actor
    }
}

/// A message was linked to a case as evidence.
public struct EvidenceAdded: CaseLifecycleEvent, Equatable {
    public static let name = "cases.evidence_added"
    public var `case`: Case
    public var evidence: Evidence
    public init(case: Case, evidence: Evidence) {
        self.case = `case`
        self.evidence = evidence
    }
}

/// An investigation became an incident; `case.commander` is the escalating user.
public struct CaseEscalated: CaseLifecycleEvent, Equatable {
    public static let name = "cases.escalated"
    public var `case`: Case
    public var actor: String
    public init(case: Case, actor: String) {
        self.case = `case`
        self.actor = actor
    }
}

/// Incident command changed hands.
public struct CommanderChanged: CaseLifecycleEvent, Equatable {
    public static let name = "cases.commander_changed"
    public var `case`: Case
    public var previous: String?
    public var actor: String
    public init(case: Case, previous: String?, actor: String) {
        self.case = `case`
        self.previous = previous
        self.actor = actor
    }
}

/// The incident was resolved (service restored); the investigation stays open.
public struct CaseResolved: CaseLifecycleEvent, Equatable {
    public static let name = "cases.resolved"
    public var `case`: Case
    public var actor: String
    public init(case: Case, actor: String) {
        self.case = `case`
        self.actor = actor
    }
}

/// The investigation was closed and its channel archived.
public struct CaseClosed: CaseLifecycleEvent, Equatable {
    public static let name = "cases.closed"
    public var `case`: Case
    public var actor: String
    public init(case: Case, actor: String) {
        self.case = `case`
        self.actor = actor
    }
}

/// An event about one case, carrying the case as it is after the change: handlers that only need
/// the case register one method for all of them.
public protocol CaseLifecycleEvent: DomainEvent {
    var `case`: Case { get }
}
