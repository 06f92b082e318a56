import CasebookKit
import NIOCore

/// The load generator's state on its event loop: the sockets that got `hello`, the round-robin
/// cursor, and the run in progress, which every socket hands its acks to.
final class LoadSockets {
    private(set) var open: [LoadSocket] = []
    private(set) var run: LoadRun?
    private var cursor = 0
    /// The next envelope number: runs take consecutive ranges, so ids never repeat.
    private var nextCounter: UInt64 = 0

    /// Registers a socket that was just sent `hello`; returns the number now open.
    func added(_ socket: LoadSocket) -> Int {
        open.append(socket)
        return open.count
    }

    func removed(_ socket: LoadSocket) {
        open.removeAll { $0 === socket }
    }

    func nextRoundRobin() -> LoadSocket? {
        guard !open.isEmpty else { return nil }
        cursor = (cursor + 1) % open.count
        return open[cursor]
    }

    func flushAll() {
        for socket in open { socket.flush() }
    }

    /// Starts a closed-loop run; fails at once if one is still going.
    func start(
        inFlight: Int, commands: Int, template: EnvelopeTemplate, accepts: @escaping @Sendable (JSONValue?) -> Bool,
        loop: any EventLoop, promise: EventLoopPromise<LoadOutcome>
    ) {
        guard run == nil else { return promise.fail(BenchError("a load run is already going")) }
        guard nextCounter + UInt64(commands) <= EnvelopeTemplate.maximumCounter else {
            return promise.fail(BenchError("envelope ids are used up"))
        }
        let run = LoadRun(sockets: self, template: template, accepts: accepts, base: nextCounter, commands: commands, promise: promise)
        nextCounter += UInt64(commands)
        self.run = run
        run.start(inFlight: max(inFlight, 1), on: loop)
    }

    func runEnded(_ run: LoadRun) {
        if self.run === run { self.run = nil }
    }

    /// Closes every socket (the benchmark is over).
    func closeAll() {
        for socket in open { socket.close() }
    }
}
