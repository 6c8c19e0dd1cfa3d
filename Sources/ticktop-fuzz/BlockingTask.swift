import Dispatch
import Synchronization

/// Runs async work to completion from libFuzzer's synchronous callback, on the calling thread:
/// the task and every default actor it calls run their jobs here, one at a time, by task-executor
/// preference. Handing each job to Swift's global executor and back cost thread wake-ups that left
/// the REST targets' process idle half the time. Work resumed from another thread (a timer, a
/// callback) is enqueued here too, and this thread waits for it.
final class BlockingTask: TaskExecutor {
    private let jobs = Mutex<[UnownedJob]>([])
    private let ready = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        ready.signal()
    }

    static func run(_ work: @escaping @Sendable () async -> Void) {
        let executor = BlockingTask()
        let done = Atomic(false)
        Task(executorPreference: executor) {
            await work()
            done.store(true, ordering: .releasing)
            executor.ready.signal()
        }
        repeat {
            executor.ready.wait()
            executor.runQueuedJobs()
        } while !done.load(ordering: .acquiring)
        executor.runQueuedJobs()  // whatever the work's end enqueued (a cancelled child's last step)
    }

    private func runQueuedJobs() {
        while let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
