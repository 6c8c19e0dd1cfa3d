/// A wait on a continuation kept in a lock-guarded registry (`PollRequests`, `HistoryRequests`)
/// that ends early when the task is cancelled.
enum CancellableWait {
    /// Suspends until the continuation handed to `register` is resumed. `register` runs under the
    /// caller's lock: it keeps the continuation and returns true, or returns false when there is
    /// nothing to wait for (the wait ends at once). On cancellation, `unregister` removes the kept
    /// continuation (nil when it is gone already) and it is resumed.
    static func wait(
        register: (CheckedContinuation<Void, Never>) -> Bool,
        unregister: @escaping @Sendable () -> CheckedContinuation<Void, Never>?
    ) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // A cancellation handled before this point has found nothing to resume: check here.
                if Task.isCancelled || !register(continuation) { continuation.resume() }
            }
        } onCancel: {
            unregister()?.resume()
        }
    }
}
