import DequeModule
import Foundation

/// One thread that runs the collector core's tasks (their preferred task executor) and their
/// timers (`CoreThreadClock`).
///
/// On the shared pool a batch crosses several tasks and actors (the source's producer, the
/// stream session, the pipeline, the state), and each hop hands a job to another thread and
/// wakes it; a timer wakes libdispatch's timer thread, which wakes a pool thread, which wakes
/// the task's. At the board's rates those wake-ups cost more than the work. Here a hop is a
/// queue push, a due timer is this thread's own timed wait ending, and only what comes from
/// outside (a socket, another thread's call) signals it. Isolation is unchanged: actors stay
/// actors; this is only where they run.
///
/// The core's unstructured tasks start with `CoreThread.preferred` as their preference (a task
/// local: unstructured tasks do not inherit a task executor preference, but do inherit task
/// locals), so the whole core stays here. Nothing on it may block for long.
package final class CoreThread: TaskExecutor, @unchecked Sendable {
    /// The executor the core's unstructured tasks prefer; nil runs them on the shared pool.
    @TaskLocal package static var preferred: CoreThread?

    /// A sleep, from its start until its timer fires or it is cancelled.
    private enum Sleep {
        /// Started, its continuation not made yet.
        case starting
        case waiting(CheckedContinuation<Void, any Error>)
        /// Cancelled before its continuation was made.
        case cancelled
    }

    private let condition = NSCondition()
    // Everything below is guarded by `condition`.
    private var jobs = Deque<UnownedJob>()
    /// Waiting for a job or a timer (so an enqueue or a new timer must signal).
    private var idle = false
    private var sleeps: [UInt64: Sleep] = [:]
    /// The sleeps' deadlines, earliest first.
    private var timers: [(deadline: ContinuousClock.Instant, id: UInt64)] = []
    private var nextSleep: UInt64 = 0

    /// Starts the thread; it runs for the rest of the process.
    package init(name: String = "ticktop-core") {
        Thread { self.run(name: name) }.start()
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        let wake = idle
        condition.unlock()
        if wake { condition.signal() }
    }

    /// Sleeps whose timer waits (for tests).
    package var sleeping: Int {
        condition.withLock { timers.count }
    }

    package func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Sleeps until `deadline` on this thread's timers; throws `CancellationError` when cancelled.
    package func sleep(until deadline: ContinuousClock.Instant) async throws {
        let id = condition.withLock {
            nextSleep += 1
            sleeps[nextSleep] = .starting
            return nextSleep
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                condition.lock()
                guard case .starting = sleeps[id] else {
                    sleeps[id] = nil
                    condition.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                sleeps[id] = .waiting(continuation)
                let index = timers.partitioningIndex { $0.deadline > deadline }
                timers.insert((deadline, id), at: index)
                let wake = idle
                condition.unlock()
                if wake { condition.signal() }
            }
        } onCancel: {
            condition.lock()
            switch sleeps[id] {
            case .waiting(let continuation):
                sleeps[id] = nil
                timers.removeAll { $0.id == id }
                condition.unlock()
                continuation.resume(throwing: CancellationError())
            case .starting:
                sleeps[id] = .cancelled
                condition.unlock()
            case .cancelled, nil:  // fired already
                condition.unlock()
            }
        }
    }

    private func run(name: String) {
        Thread.current.name = name
        let executor = asUnownedTaskExecutor()
        var due: [CheckedContinuation<Void, any Error>] = []
        // Every job waiting is taken under one lock, and run in order outside it.
        var batch = Deque<UnownedJob>()
        while true {
            condition.lock()
            while true {
                let now = ContinuousClock.now
                while let first = timers.first, first.deadline <= now {
                    timers.removeFirst()
                    if case .waiting(let continuation) = sleeps.removeValue(forKey: first.id) { due.append(continuation) }
                }
                if !due.isEmpty || !jobs.isEmpty { break }
                idle = true
                if let first = timers.first {
                    let seconds = Double(now.duration(to: first.deadline).attoseconds) / 1e18
                    _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
                } else {
                    condition.wait()
                }
                idle = false
            }
            swap(&jobs, &batch)
            condition.unlock()
            for continuation in due { continuation.resume() }
            due.removeAll(keepingCapacity: true)
            while let job = batch.popFirst() { job.runSynchronously(on: executor) }
        }
    }
}

/// `ContinuousClock`'s time, sleeping on a `CoreThread`'s timers: the core's periodic work (the
/// simulated market's ticks, the store writer's flushes) wakes that one thread and no other.
package struct CoreThreadClock: Clock {
    package typealias Instant = ContinuousClock.Instant
    let thread: CoreThread

    package init(_ thread: CoreThread) {
        self.thread = thread
    }

    package var now: Instant { .now }
    package var minimumResolution: Duration { ContinuousClock().minimumResolution }

    package func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await thread.sleep(until: deadline)
    }
}
