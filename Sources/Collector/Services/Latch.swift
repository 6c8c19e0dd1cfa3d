import Synchronization

/// A one-time event any number of tasks wait for (`PollRequests`: the next round requested;
/// `ProviderRequests`: a request withdrawn or stopped). `release` ends every wait, and a wait that
/// starts after it ends at once; a wait also ends when its task is cancelled.
final class Latch: Sendable {
    private struct State {
        var released = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    init() {}

    var isReleased: Bool { state.withLock { $0.released } }

    /// Ends every wait, now and to come.
    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [:] }
            return state.waiters.values
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is released, or the task is cancelled.
    func wait() async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // A cancellation handled before this point has found nothing to resume: check here.
                let kept = state.withLock { state in
                    guard !Task.isCancelled, !state.released else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !kept { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
