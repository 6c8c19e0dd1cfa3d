import Synchronization

/// The history requests a collector's backfills have under way, by symbol: what a fleet hand-over
/// settles before it writes what it holds for the symbols it gives up (`FleetCoordinator`).
///
/// A request that has taken its provider's rate-limit slot is spent (it may be on the wire): the
/// hand-over waits until its bars are in the pipeline, so they are written under the lease and the
/// successor, planning from what is stored, does not ask for the same window again (one provider
/// request spent twice). A request still waiting for budget has cost nothing: it is withdrawn
/// (cancelled; if it takes its slot at that very moment, nothing is sent), and the successor
/// fetches the window once. A paginated request that has sent its first page is waited for whole.
package final class HistoryRequests: Sendable {
    private struct Entry {
        var symbol: Symbol
        /// It took its rate-limit slot: it is waited for, never withdrawn.
        var spent = false
        /// A hand-over withdrew it before it was spent.
        var withdrawn = false
        /// Cancels the request (set once it runs).
        var cancel: (@Sendable () -> Void)?
        /// Hand-overs waiting for it to end.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// One history request of `symbol` and the sending of its bars to the pipeline: `begin` it
    /// before checking that the symbol is still watched, `fetch` the bars, `end` it once they are sent.
    package struct Ticket: Sendable {
        fileprivate let id: Int
    }

    package func begin(_ symbol: Symbol) -> Ticket {
        state.withLock { state in
            defer { state.nextID += 1 }
            state.entries[state.nextID] = Entry(symbol: symbol)
            return Ticket(id: state.nextID)
        }
    }

    /// Runs `request` under `ticket`: throws `CancellationError` when a hand-over withdrew it
    /// before it took its rate-limit slot (`RateLimiter.takingSlot`).
    package func fetch<T: Sendable>(_ ticket: Ticket, _ request: @escaping @Sendable () async throws -> T) async throws -> T {
        let slot = RateLimiter.SlotTaking { self.spend(ticket) }
        let task = Task { try await RateLimiter.$takingSlot.withValue(slot, operation: request) }
        let withdrawn = state.withLock { state in
            state.entries[ticket.id]?.cancel = { task.cancel() }
            return state.entries[ticket.id]?.withdrawn ?? false
        }
        if withdrawn { task.cancel() }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// The request's bars are in the pipeline (or it failed): hand-overs waiting for it go on.
    package func end(_ ticket: Ticket) {
        let waiters = state.withLock { $0.entries.removeValue(forKey: ticket.id)?.waiters ?? [] }
        for waiter in waiters { waiter.resume() }
    }

    /// Withdraws the requests of `symbols` still waiting for budget and returns once the spent
    /// ones have ended (their bars sent to the pipeline).
    package func settle(_ symbols: Set<Symbol>) async {
        let (spent, cancels) = state.withLock { state in
            var spent: [Int] = []
            var cancels: [@Sendable () -> Void] = []
            for (id, entry) in state.entries where symbols.contains(entry.symbol) {
                if entry.spent {
                    spent.append(id)
                } else {
                    state.entries[id]?.withdrawn = true
                    if let cancel = entry.cancel { cancels.append(cancel) }
                }
            }
            return (spent, cancels)
        }
        // Outside the lock: a cancellation handler runs at once, in this thread.
        for cancel in cancels { cancel() }
        for id in spent {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ended = state.withLock { state in
                    guard state.entries[id] != nil else { return true }
                    state.entries[id]?.waiters.append(continuation)
                    return false
                }
                if ended { continuation.resume() }
            }
        }
    }

    /// How many requests are under way (tests).
    package var count: Int { state.withLock { $0.entries.count } }

    /// The request took its slot: spent, unless it was withdrawn first (then it sends nothing).
    private func spend(_ ticket: Ticket) -> Bool {
        state.withLock { state in
            guard let entry = state.entries[ticket.id], !entry.withdrawn else { return false }
            state.entries[ticket.id]?.spent = true
            return true
        }
    }
}
