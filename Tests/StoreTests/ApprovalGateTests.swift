import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Foundation
import Testing

/// The approval gate's invariants, on both backends: no approval → nothing executes; the wrong
/// person is refused; an edit voids an approval; approving twice executes once.
@Suite struct ApprovalGateTests {
    let draft: JSONValue = ["name": "API errors", "status": "investigating", "body": "We are looking into it."]

    func proposal(_ payload: JSONValue) -> Proposal {
        Proposal(kind: "statuspage.publish", subject: "case-1", payload: payload, approvers: ["commander"])
    }

    @Test(arguments: TestDatabase.backends)
    func approveOnlyByAllowedUserWithTheShownContentThenExecuteOnce(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let gate = db.approvals(plugin: "statuspage")
                let pending = try await gate.propose(proposal(draft), by: "U_ALICE")
                #expect(pending.state == .pending)
                #expect(pending.contentHash == ContentHash.of(draft))

                // Not executable before approval, even if someone asks.
                let early = try await gate.execute(pending.id) { _ in Issue.record("executed without approval"); return nil }
                #expect(early.refusal == .notApproved)

                // The wrong person changes nothing.
                let stranger = try await gate.approve(pending.id, by: "U_EVE", allowed: ["U_BOB"], shownHash: pending.contentHash) { _, _ in
                    Issue.record("work queued for a non-approver")
                }
                #expect(stranger.refusal == .notAllowed)

                // A stale hash (what the approver saw is not what is stored) is refused.
                let stale = try await gate.approve(pending.id, by: "U_BOB", allowed: ["U_BOB"], shownHash: "0000") { _, _ in
                    Issue.record("work queued for stale content")
                }
                #expect(stale.refusal == .changed)

                let queued = Recorder<String>()
                let first = try await gate.approve(pending.id, by: "U_BOB", allowed: ["U_BOB"], shownHash: pending.contentHash) { tx, approval in
                    try await tx.jobs.schedule(name: "publish", payload: .string(approval.id), at: Date(), dedupeKey: nil)
                    queued.append(approval.id)
                }
                #expect(first.succeeded)
                #expect(first.approval?.decidedBy == "U_BOB")
                let second = try await gate.approve(pending.id, by: "U_BOB", allowed: ["U_BOB"], shownHash: pending.contentHash) { _, _ in
                    Issue.record("approved twice")
                }
                #expect(second.succeeded == false)
                #expect(queued.all == [pending.id])
                #expect(try await db.listJobs(states: ["pending"]).count == 1)

                let effects = Recorder<String>()
                let executed = try await gate.execute(pending.id) { approval in
                    effects.append(approval.payload["status"]?.string ?? "")
                    return ["incident": "p1"]
                }
                #expect(executed.approval?.state == .executed)
                #expect(executed.approval?.result == ["incident": "p1"])
                let again = try await gate.execute(pending.id) { _ in Issue.record("executed twice"); return nil }
                #expect(again.succeeded == false)
                #expect(effects.all == ["investigating"])

                let timeline = try await db.audit(plugin: "statuspage").entries(subject: "case-1").map(\.action)
                #expect(timeline == [
                    "statuspage.approval_proposed", "statuspage.approval_refused", "statuspage.approval_approved",
                    "statuspage.approval_executed",
                ])
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func anEditAfterApprovalVoidsItAndADiscardedDraftCannotBeApproved(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let gate = db.approvals(plugin: "statuspage")
                let pending = try await gate.propose(proposal(draft), by: "U_ALICE")
                _ = try await gate.approve(pending.id, by: "U_BOB", allowed: ["U_BOB"], shownHash: pending.contentHash) { _, _ in }
                let edited: JSONValue = ["name": "API errors", "status": "identified", "body": "We are looking into it."]
                let revised = try await gate.revise(pending.id, payload: edited, by: "U_ALICE")
                #expect(revised.approval?.state == .pending)
                #expect(revised.approval?.contentHash == ContentHash.of(edited))
                // The job queued for the old approval finds nothing to execute.
                let voided = try await gate.execute(pending.id) { _ in Issue.record("executed a voided approval"); return nil }
                #expect(voided.succeeded == false)
                // The old hash no longer approves the new content.
                let oldHash = try await gate.approve(pending.id, by: "U_BOB", allowed: ["U_BOB"], shownHash: pending.contentHash) { _, _ in }
                #expect(oldHash.succeeded == false)

                let discarded = try await gate.discard(pending.id, by: "U_ALICE")
                #expect(discarded.approval?.state == .discarded)
                let late = try await gate.approve(pending.id, by: "U_BOB", allowed: ["U_BOB"], shownHash: ContentHash.of(edited)) { _, _ in }
                #expect(late.refusal == .discarded)
                #expect(try await gate.open(subject: "case-1").isEmpty)
                let actions = try await db.audit(plugin: "statuspage").entries(subject: "case-1").map(\.action)
                #expect(actions.contains("statuspage.approval_voided"))
                #expect(actions.last == "statuspage.approval_discarded")
            }
        }
    }

    @Test(arguments: TestDatabase.backends)
    func aMissingOrForeignApprovalRowIsRefused(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let missing = try await db.approvals(plugin: "statuspage").approve(
                    "does-not-exist", by: "U_BOB", allowed: ["U_BOB"], shownHash: ContentHash.of(draft)) { _, _ in Issue.record("approved a ghost") }
                #expect(missing.refusal == .notFound)
                let mine = try await db.approvals(plugin: "statuspage").propose(proposal(draft), by: "U_ALICE")
                // Another plugin's gate cannot see, approve or execute it.
                let other = db.approvals(plugin: "deploys")
                #expect(try await other.approval(mine.id) == nil)
                let foreign = try await other.execute(mine.id) { _ in Issue.record("foreign execute"); return nil }
                #expect(foreign.refusal == .notFound)
            }
        }
    }
}

@Suite struct DeliveryLogTests {
    @Test(arguments: TestDatabase.backends)
    func aDeliveryIsNewOncePerPluginAndRollsBackWithItsTransaction(backend: TestDatabase.Backend) async throws {
        try await TestDatabase.with(backend) { scratch in
            try await scratch.open(clock: ManualClock()) { db async throws in
                let alerts = db.storage(plugin: "alerts")
                #expect(try await alerts.transaction { tx in try await tx.deliveries.firstSeen("group-1:firing") })
                #expect(try await alerts.transaction { tx in try await tx.deliveries.firstSeen("group-1:firing") } == false)
                #expect(try await db.deliveries(plugin: "other").firstSeen("group-1:firing"))
                // A failed transaction forgets the delivery, so the sender's retry is acted on.
                struct Fail: Error {}
                await #expect(throws: Fail.self) {
                    try await alerts.transaction { tx in
                        _ = try await tx.deliveries.firstSeen("group-2:firing")
                        throw Fail()
                    }
                }
                #expect(try await alerts.transaction { tx in try await tx.deliveries.firstSeen("group-2:firing") })
            }
        }
    }
}
