@testable import CasebookHost
import CasebookKit
import Synchronization
import Testing

/// The small pieces on the ack path, each on its own: the rate limit's window, the reply handoff
/// and the ack-deadline sweeper.
@Suite("Dispatch pieces")
struct DispatchPiecesTests {
    static func command(_ user: String) -> Invocation {
        .command(SlashCommand(command: "/case", subcommand: "ping", arguments: "", userID: user, teamID: "T1", channelID: "C1"))
    }

    @Test("The rate limit slides: the oldest call leaving the window frees one slot, with the wait named")
    func rateLimitWindowSlides() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000))
        let limit = RateLimit(limit: 3, window: .seconds(60), now: { clock.withLock { $0 } })
        let pass: @Sendable (Invocation) async throws -> Reply = { _ in .ack }
        for second in [0, 10, 20] {
            clock.withLock { $0 = Date(timeIntervalSince1970: 1_000 + Double(second)) }
            _ = try await limit.handle(Self.command("U1"), next: pass)
        }
        clock.withLock { $0 = Date(timeIntervalSince1970: 1_030) }
        let refusal = await #expect(throws: UserFacingError.self) { try await limit.handle(Self.command("U1"), next: pass) }
        #expect(refusal?.message.contains("try again in 30 s") == true)
        // Someone else has their own window.
        _ = try await limit.handle(Self.command("U2"), next: pass)
        // At 60 s the call from second 0 has left the window; the ones from 10 and 20 have not.
        clock.withLock { $0 = Date(timeIntervalSince1970: 1_060) }
        _ = try await limit.handle(Self.command("U1"), next: pass)
        await #expect(throws: UserFacingError.self) { try await limit.handle(Self.command("U1"), next: pass) }
        clock.withLock { $0 = Date(timeIntervalSince1970: 1_081) }
        _ = try await limit.handle(Self.command("U1"), next: pass)
    }

    @Test("The rate limit forgets people whose window is empty, so its table does not grow forever")
    func rateLimitForgetsIdleUsers() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000))
        let limit = RateLimit(limit: 3, window: .seconds(60), now: { clock.withLock { $0 } })
        let pass: @Sendable (Invocation) async throws -> Reply = { _ in .ack }
        for user in 0..<500 { _ = try await limit.handle(Self.command("U\(user)"), next: pass) }
        #expect(limit.trackedUsers == 500)
        // A minute later those 500 are idle; the next sweep (every 1,024 checks) forgets them.
        clock.withLock { $0 = Date(timeIntervalSince1970: 1_061) }
        for _ in 0..<RateLimit.sweepEvery { _ = try? await limit.handle(Self.command("U_ACTIVE"), next: pass) }
        #expect(limit.trackedUsers <= 1)
        // Forgetting never forgives too early: the active user is still limited.
        await #expect(throws: UserFacingError.self) { try await limit.handle(Self.command("U_ACTIVE"), next: pass) }
    }

    /// Counts how a handoff ended.
    final class Expiries: Sendable {
        let count = Atomic(0)
        func record() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    @Test("A handoff is decided once: an offer before expiry wins, expiry before the offer acks empty once")
    func handoffDecidesOnce() {
        let expiries = Expiries()
        let answered = ReplyHandoff(onExpiry: expiries.record)
        #expect(answered.offer())
        answered.expire()
        #expect(expiries.value == 0)
        #expect(answered.offer() == false)

        let slow = ReplyHandoff(onExpiry: expiries.record)
        slow.expire()
        slow.expire()
        #expect(expiries.value == 1)
        #expect(slow.offer() == false)
    }

    @Test("The sweeper expires only what is undecided at its deadline, and everything when it stops")
    func sweeperExpiresAtDeadlines() async throws {
        let deadlines = AckDeadlines(granularity: .milliseconds(1))
        let soonExpired = Expiries(), answeredExpired = Expiries(), laterExpired = Expiries()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await deadlines.run() }
            let soon = ReplyHandoff(onExpiry: soonExpired.record)
            let answered = ReplyHandoff(onExpiry: answeredExpired.record)
            let later = ReplyHandoff(onExpiry: laterExpired.record)
            deadlines.watch(soon, until: .now + .milliseconds(30))
            deadlines.watch(answered, until: .now + .milliseconds(30))
            deadlines.watch(later, until: .now + .seconds(60))
            #expect(answered.offer())
            let giveUp = ContinuousClock.now + .seconds(10)
            while soonExpired.value == 0, ContinuousClock.now < giveUp { try? await Task.sleep(for: .milliseconds(5)) }
            #expect(soonExpired.value == 1)
            #expect(answeredExpired.value == 0)
            #expect(laterExpired.value == 0)
            // Stopping the sweeper acks what is still waiting, rather than leave it unacked.
            group.cancelAll()
        }
        #expect(laterExpired.value == 1)
        let afterStopExpired = Expiries()
        deadlines.watch(ReplyHandoff(onExpiry: afterStopExpired.record), until: .now + .seconds(60))
        #expect(afterStopExpired.value == 1)
        #expect(soonExpired.value == 1 && answeredExpired.value == 0)
    }
}
