import CasebookKit
import NIOCore

/// What one closed-loop run of the ``LoadGenerator`` measured.
struct LoadOutcome: Sendable {
    /// Envelope frame written → its ack frame read, one per acked command.
    var latencies: Samples
    /// Commands not acked within the timeout, acks with an unknown id, and acks whose reply was
    /// not the expected one.
    var failures: Int
    var wall: Duration
}

/// One closed-loop run on the generator's event loop: `inFlight` envelopes outstanding, each ack
/// sends the next envelope on the socket it came from, until `commands` are answered.
///
/// Envelopes are numbered from `base`; the number is in the envelope id, so an ack finds its
/// envelope by index without a dictionary. Only the run's first correct ack is parsed as JSON;
/// every later one must carry exactly the same bytes after its id.
final class LoadRun {
    static let timeout = TimeAmount.seconds(3)
    static let sweepInterval = TimeAmount.milliseconds(100)

    private let sockets: LoadSockets
    private let template: EnvelopeTemplate
    private let accepts: @Sendable (JSONValue?) -> Bool
    private let base: UInt64
    private let commands: Int
    private let promise: EventLoopPromise<LoadOutcome>

    /// `NIODeadline` nanoseconds when each envelope was written; 0 once it is answered or failed.
    private var sentAt: [UInt64]
    private var latencies: [Duration] = []
    private var failures = 0
    private var next = 0
    private var finished = 0
    /// Every envelope below this index is answered or failed (where the timeout sweep starts).
    private var oldestOpen = 0
    /// The bytes after the id of the first correct ack.
    private var expectedTail: ByteBuffer?
    private var sweeper: Scheduled<Void>?
    private var ended = false
    private let started = NIODeadline.now()

    init(
        sockets: LoadSockets, template: EnvelopeTemplate, accepts: @escaping @Sendable (JSONValue?) -> Bool, base: UInt64,
        commands: Int, promise: EventLoopPromise<LoadOutcome>
    ) {
        self.sockets = sockets
        self.template = template
        self.accepts = accepts
        self.base = base
        self.commands = commands
        self.promise = promise
        sentAt = Array(repeating: 0, count: commands)
        latencies.reserveCapacity(commands)
    }

    /// Envelopes this run numbers (the next run starts after them).
    var range: Range<UInt64> { base..<(base + UInt64(commands)) }

    /// Sends the first `inFlight` envelopes round robin and starts the timeout sweep.
    func start(inFlight: Int, on loop: any EventLoop) {
        guard commands > 0 else {
            finish()
            return
        }
        for _ in 0..<min(inFlight, commands) {
            guard let socket = sockets.nextRoundRobin() else { return fail(BenchError("no Socket Mode connection is open")) }
            send(on: socket)
        }
        sockets.flushAll()
        scheduleSweep(on: loop)
    }

    // MARK: Acks

    /// An ack frame arrived on `socket` at `now` (nanoseconds of `NIODeadline`).
    func received(_ frame: ByteBuffer, on socket: LoadSocket, at now: UInt64) {
        guard let scanned = template.scan(frame) else {
            failures += 1
            return
        }
        guard scanned.counter >= base else { return }  // A late ack of an earlier run, counted there.
        let index = Int(scanned.counter - base)
        guard index < next else {
            failures += 1
            return
        }
        let sent = sentAt[index]
        // Already answered or timed out: a late ack was counted as a failure when it timed out.
        guard sent != 0 else { return }
        sentAt[index] = 0
        if expectedTail == scanned.tail || acceptsFirst(frame, tail: scanned.tail) {
            latencies.append(.nanoseconds(Int64(now &- sent)))
        } else {
            failures += 1
        }
        answered(index, on: socket)
    }

    /// Parses the first ack fully; when it carries the expected reply, its tail becomes the
    /// reference for every later ack.
    private func acceptsFirst(_ frame: ByteBuffer, tail: ByteBuffer) -> Bool {
        guard expectedTail == nil, let json = try? JSONValue.decode(bytes: frame.readableBytesView), accepts(json["payload"]) else {
            return false
        }
        expectedTail = tail
        return true
    }

    private func answered(_ index: Int, on socket: LoadSocket) {
        finished += 1
        if next < commands {
            if socket.isOpen {
                send(on: socket)  // Flushed when this socket's read batch completes.
            } else {
                let other = sockets.nextRoundRobin()
                send(on: other)
                other?.flush()
            }
        }
        if finished == commands { finish() }
    }

    // MARK: Sending

    private func send(on socket: LoadSocket?) {
        guard !ended else { return }
        guard let socket else { return fail(BenchError("no Socket Mode connection is open")) }
        let index = next
        next += 1
        sentAt[index] = NIODeadline.now().uptimeNanoseconds
        socket.send(template.envelope(base + UInt64(index)))
    }

    // MARK: Timeouts and the end

    private func scheduleSweep(on loop: any EventLoop) {
        guard !ended else { return }
        sweeper = loop.assumeIsolated().scheduleTask(in: Self.sweepInterval) { [self] in
            sweep()
            scheduleSweep(on: loop)
        }
    }

    /// Counts envelopes unanswered for longer than ``timeout`` as failures and sends their
    /// successors, so the number in flight stays put.
    private func sweep() {
        let now = NIODeadline.now().uptimeNanoseconds
        let limit = UInt64(Self.timeout.nanoseconds)
        var expired = 0
        var index = oldestOpen
        while index < next {
            let sent = sentAt[index]
            if sent != 0, now &- sent > limit {
                sentAt[index] = 0
                failures += 1
                finished += 1
                expired += 1
            }
            if sentAt[index] == 0, index == oldestOpen { oldestOpen += 1 }
            index += 1
        }
        guard expired > 0 else { return }
        for _ in 0..<expired where next < commands {
            send(on: sockets.nextRoundRobin())
        }
        sockets.flushAll()
        if finished == commands { finish() }
    }

    private func finish() {
        guard !ended else { return }
        ended = true
        sweeper?.cancel()
        sweeper = nil
        let wall = Duration.nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds &- started.uptimeNanoseconds))
        sockets.runEnded(self)
        promise.succeed(LoadOutcome(latencies: Samples(latencies), failures: failures, wall: wall))
    }

    private func fail(_ error: any Error) {
        guard !ended else { return }
        ended = true
        sweeper?.cancel()
        sweeper = nil
        sockets.runEnded(self)
        promise.fail(error)
    }
}
