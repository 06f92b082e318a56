import NIOCore

/// Runs a task's nonisolated code on one NIO event loop, the loop its socket reads and writes on.
///
/// A Socket Mode envelope that is read on an event loop, handled on Swift's global pool and acked
/// back on the loop hops threads twice; with this as the envelope task's executor preference it
/// stays on the loop unless its handler awaits something that lives elsewhere (an actor, another
/// channel), and the ack is written without a hop. Child tasks inherit the preference.
public final class EventLoopTaskExecutor: TaskExecutor {
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
