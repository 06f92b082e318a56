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

    @Test("A reply offered before or during the wait is taken exactly once; after expiry it is refused")
    func handoffDecidesOnce() async {
        let early = ReplyHandoff()
        #expect(early.offer(.ephemeral("early")))
        #expect(await early.wait() == .ephemeral("early"))

        let late = ReplyHandoff()
        late.expire()
        #expect(await late.wait() == nil)
        #expect(late.offer(.ephemeral("too late")) == false)

        let during = ReplyHandoff()
        async let waited = during.wait()
        try? await Task.sleep(for: .milliseconds(20))
        #expect(during.offer(.ephemeral("during")))
        #expect(await waited == .ephemeral("during"))
        during.expire()
        #expect(during.offer(.ephemeral("again")) == false)
    }

    @Test("Cancelling the waiting transport expires the handoff, so the worker delivers the reply itself")
    func cancellingTheWaitExpiresIt() async {
        let handoff = ReplyHandoff()
        let waiter = Task { await handoff.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(handoff.offer(.ack) == false)
    }

    @Test("The sweeper expires only what is undecided at its deadline, and everything when it stops")
    func sweeperExpiresAtDeadlines() async {
        let deadlines = AckDeadlines(granularity: .milliseconds(1))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await deadlines.run() }
            let soon = ReplyHandoff()
            let answered = ReplyHandoff()
            let later = ReplyHandoff()
            deadlines.watch(soon, until: .now + .milliseconds(30))
            deadlines.watch(answered, until: .now + .milliseconds(30))
            deadlines.watch(later, until: .now + .seconds(60))
            #expect(answered.offer(.ack))
            #expect(await soon.wait() == nil)
            #expect(await answered.wait() == .ack)
            // Stopping the sweeper releases a transport still waiting on a far deadline.
            group.cancelAll()
            #expect(await later.wait() == nil)
        }
        let afterStop = ReplyHandoff()
        deadlines.watch(afterStop, until: .now + .seconds(60))
        #expect(await afterStop.wait() == nil)
    }
}
