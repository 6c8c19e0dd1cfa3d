import Synchronization

/// Asks the polling collectors for a round now instead of at the end of their interval
/// (the board's `r`). Each poller waits with `wait(past:)` between rounds; a request wakes
/// every waiting poller, and one made during a round starts the next at once. The
/// requests still go through each provider's rate limiter: this only ends the wait
/// between rounds, never a rate-limit wait, a throttle pause or an open circuit.
package final class PollRequests: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// Counts the requests so far; a poller remembers it at the start of a round.
    package var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiting poller (and the next one to wait, if it saw an older generation).
    package func request() {
        let waiters = state.withLock { state in
            state.generation += 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once a request newer than `seen` was made, or when the task is cancelled.
    package func wait(past seen: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await CancellableWait.wait { continuation in
            state.withLock { state in
                guard state.generation <= seen else { return false }
                state.waiters[id] = continuation
                return true
            }
        } unregister: {
            self.state.withLock { $0.waiters.removeValue(forKey: id) }
        }
    }
}
