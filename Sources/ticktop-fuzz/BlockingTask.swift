import Dispatch

/// Runs async work to completion from libFuzzer's synchronous callback.
enum BlockingTask {
    static func run(_ work: @escaping @Sendable () async -> Void) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await work()
            done.signal()
        }
        done.wait()
    }
}
