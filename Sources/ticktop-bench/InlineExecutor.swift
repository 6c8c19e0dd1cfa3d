import Synchronization

/// Runs async code on the calling thread and starts no other: the task and every default actor
/// it calls (`MarketState`) run their jobs here, one at a time, by task-executor preference.
/// For the instruction-count harness: valgrind 3.19 crashes when libdispatch starts a thread
/// for Swift's global executor. Code that waits on another thread or a timer cannot finish
/// here: `block` stops with a message rather than hang.
final class InlineExecutor: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>([])

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
    }

    /// Runs `body` to its end on this thread and returns its value.
    static func block<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let executor = InlineExecutor()
        let result = Mutex<T?>(nil)
        Task(executorPreference: executor) {
            let value = await body()
            result.withLock { $0 = value }
        }
        while true {
            if let job = executor.jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                job.runSynchronously(on: executor.asUnownedTaskExecutor())
            } else if let value = result.withLock({ $0 }) {
                return value
            } else {
                preconditionFailure("InlineExecutor: the task waits on something that runs elsewhere (a thread, a timer)")
            }
        }
    }
}
