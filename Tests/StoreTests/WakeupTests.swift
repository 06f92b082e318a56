import CasebookKit
@testable import CasebookStore
import CasebookTesting
import Testing

/// The job runner's latch must stay usable after a wait that its deadline won; a latch that
/// answers every later wait at once makes an idle runner spin (found by the benchmark).
@Suite struct WakeupTests {
    @Test func aWaitThatTimedOutLeavesTheLatchBlockingUntilSignalled() async throws {
        let clock = ManualClock()
        let wakeup = Wakeup()
        // The deadline wins this wait.
        await wakeup.wait(until: clock.now().addingTimeInterval(-1), clock: clock)

        let first = await withTaskGroup(of: String.self) { group in
            group.addTask {
                await wakeup.wait()
                return "woken"
            }
            group.addTask {
                try? await clock.sleep(until: clock.now().addingTimeInterval(1))
                return "timer"
            }
            while clock.sleeperCount == 0 { await Task.yield() }
            clock.advance(by: .seconds(2))
            let first = await group.next()
            group.cancelAll()
            return first
        }
        #expect(first == "timer", "the latch returned without a signal")
    }

    @Test func aSignalBeforeTheWaitIsNotLost() async {
        let wakeup = Wakeup()
        wakeup.signal()
        await wakeup.wait()  // returns at once: the signal was pending
        wakeup.signal()
        await wakeup.wait(until: Date.distantFuture, clock: ManualClock())
    }
}
