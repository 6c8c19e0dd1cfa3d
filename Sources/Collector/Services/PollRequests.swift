import Synchronization

/// Asks the polling collectors for a round now instead of at the end of their interval
/// (the board's `r`). Each poller waits with `wait(past:)` between rounds; a request wakes
/// every waiting poller, and one made during a round starts the next at once. The
/// requests still go through each provider's rate limiter: this only ends the wait
/// between rounds, never a rate-limit wait, a throttle pause or an open circuit.
package final class PollRequests: Sendable {
    private struct State {
        var generation: UInt64 = 0
        /// Released by the next request.
        var next = Latch()
    }

    private let state = Mutex(State())

    package init() {}

    /// Counts the requests so far; a poller remembers it at the start of a round.
    package var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiting poller (and the next one to wait, if it saw an older generation).
    package func request() {
        let released = state.withLock { state in
            state.generation += 1
            defer { state.next = Latch() }
            return state.next
        }
        released.release()
    }

    /// Returns once a request newer than `seen` was made, or when the task is cancelled.
    package func wait(past seen: UInt64) async {
        guard let next = state.withLock({ $0.generation <= seen ? $0.next : nil }) else { return }
        await next.wait()
    }
}
