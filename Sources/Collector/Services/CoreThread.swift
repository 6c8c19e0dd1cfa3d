import DequeModule
import Foundation

/// One thread that runs the collector core's tasks, as their preferred task executor.
///
/// On the shared pool a batch crosses several tasks and actors (the source's producer, the
/// stream session, the pipeline, the state), and each hop hands a job to another thread and
/// wakes it: at the board's rates those wake-ups cost more than the work. On one thread a hop
/// is a queue push, and only what comes from outside (a timer, a socket, another thread's
/// call) wakes it. Isolation is unchanged: actors stay actors, this is only where they run.
///
/// The core's unstructured tasks start with `CoreThread.preferred` as their preference (a task
/// local: unstructured tasks do not inherit a task executor preference, but do inherit task
/// locals), so the whole core stays here. Nothing on it may block for long.
package final class CoreThread: TaskExecutor, @unchecked Sendable {
    /// The executor the core's unstructured tasks prefer; nil runs them on the shared pool.
    @TaskLocal package static var preferred: CoreThread?

    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var jobs = Deque<UnownedJob>()
    /// Guarded by `condition`: the thread waits for a job (so an enqueue must signal it).
    private var idle = false

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

    package func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    private func run(name: String) {
        Thread.current.name = name
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty {
                idle = true
                condition.wait()
            }
            idle = false
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
