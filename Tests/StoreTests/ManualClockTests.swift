import CasebookKit
import CasebookTesting
import Foundation
import Testing

/// The test clock belongs to the sandbox that testing re-exports (the sandbox host drives it), not to
/// the store that `casebook serve` runs on.
@Suite struct ManualClockTests {
    @Test func theTestClockLivesInTheSandboxNotTheStore() {
        #expect(String(reflecting: ManualClock.self) == "CasebookSandbox.ManualClock")
    }

    @Test func advancingWakesOnlyTheSleepersWhoseDeadlineCame() async throws {
        let clock = ManualClock()
        let start = clock.now()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(until: start.addingTimeInterval(10)) }
            group.addTask { try await clock.sleep(until: start.addingTimeInterval(100)) }
            while clock.sleeperCount < 2 { await Task.yield() }
            clock.advance(by: .seconds(10))
            try await group.next()
            #expect(clock.sleeperCount == 1)
            #expect(clock.now() == start.addingTimeInterval(10))
            group.cancelAll()
            await #expect(throws: CancellationError.self) { try await group.next() }
        }
    }
}
