import ServiceLifecycle
import Synchronization

/// The provider requests a collector has under way: its backfills' history requests, by symbol,
/// which a fleet hand-over settles before it writes what it holds for the symbols it gives up
/// (`FleetCoordinator`), and its pollers' quote requests; a graceful shutdown drains both
/// (`draining`: `BackfillService`, `PollingCollector`).
///
/// A history request that has taken its provider's rate-limit slot is spent (it may be on the wire): the
/// hand-over waits until its bars are in the pipeline, so they are written under the lease and the
/// successor, planning from what is stored, does not ask for the same window again (one provider
/// request spent twice). A request still waiting for budget has cost nothing: it is withdrawn
/// (cancelled; if it takes its slot at that very moment, nothing is sent), and the successor
/// fetches the window once. A paginated request that has sent a page is stopped before its next
/// one (`RateLimiter.followingPage`; a wait for that page's budget ends at once): the pages
/// already answered go to the pipeline, and the rest of the window is planned from what is stored.
/// A shutdown's `drain` does the same for every request of a source, history or quotes, and from
/// then on none is sent: an answer already paid for is not thrown away. (A collector keeps its
/// backfills' and its pollers' requests apart, so that each service drains only its own.)
package final class ProviderRequests: Sendable {
    private struct Entry {
        /// A history request's symbol; nil for a quote request (a poller's round, which a hand-over
        /// does not settle: the poller starts again on the symbols it keeps).
        var symbol: Symbol?
        /// The source whose backfill or poller makes it (nil: not said).
        var source: SourceID?
        /// It took its rate-limit slot: it is waited for, never withdrawn.
        var spent = false
        /// A hand-over withdrew it before it was spent.
        var withdrawn = false
        /// Spent, then stopped by a hand-over or a drain: it takes no slot for a further page.
        var stopped = false
        /// Cancels the request (set once it runs).
        var cancel: (@Sendable () -> Void)?
        /// Hand-overs waiting for it to end.
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Released when it is withdrawn or stopped, or ends: its waits for budget end then (`refused`).
        let refusal = Latch()

        var isRefused: Bool { withdrawn || stopped }
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
        /// The sources `drain` was called for: every request of theirs begun from then on is withdrawn.
        var draining: Set<SourceID> = []
    }

    private let state = Mutex(State())
    /// When the shutdown stops waiting, shared with the collector's other registry.
    private let deadline: DrainDeadline

    package init(deadline: DrainDeadline = DrainDeadline()) {
        self.deadline = deadline
    }

    /// One request and the sending of its answer to the pipeline: `begin` it (a history request
    /// before checking that its symbol is still watched), `fetch` the answer, `end` it once it is sent.
    package struct Ticket: Sendable {
        fileprivate let id: Int
    }

    /// A history request of `symbol`.
    package func begin(_ symbol: Symbol, source: SourceID? = nil) -> Ticket {
        begin(Entry(symbol: symbol, source: source))
    }

    /// A quote request of `source`'s poller.
    package func beginQuotes(of source: SourceID) -> Ticket {
        begin(Entry(symbol: nil, source: source))
    }

    private func begin(_ entry: Entry) -> Ticket {
        state.withLock { state in
            defer { state.nextID += 1 }
            var entry = entry
            entry.withdrawn = entry.source.map { state.draining.contains($0) } ?? false
            state.entries[state.nextID] = entry
            return Ticket(id: state.nextID)
        }
    }

    /// Runs `request` under `ticket`: throws `CancellationError` when a hand-over withdrew it
    /// before it took its rate-limit slot (`RateLimiter.takingSlot`).
    package func fetch<T: Sendable>(_ ticket: Ticket, _ request: @escaping @Sendable () async throws -> T) async throws -> T {
        let slot = RateLimiter.SlotTaking(
            { self.spend(ticket) }, isRefused: { self.isRefused(ticket) }, refused: { await self.refused(ticket) })
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
        let entry = state.withLock { $0.entries.removeValue(forKey: ticket.id) }
        entry?.refusal.release()
        for waiter in entry?.waiters ?? [] { waiter.resume() }
    }

    /// Withdraws the requests of `symbols` still waiting for budget, stops the spent ones before
    /// their next page, and returns once those have ended (their bars sent to the pipeline).
    package func settle(_ symbols: Set<Symbol>) async {
        let spent = stop { $0.symbol.map(symbols.contains) ?? false }
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

    /// A graceful shutdown of `source`'s backfill and poller: withdraws its requests waiting for
    /// budget, stops the spent ones before their next page (their answers still go to the
    /// pipeline), and withdraws every request of it begun from now on. Returns at once; the
    /// services wait for their requests (`draining`). Only that source's: another source's
    /// services, not yet told to stop, must not end before their turn.
    package func drain(_ source: SourceID) {
        state.withLock { _ = $0.draining.insert(source) }
        _ = stop { $0.source == source }
    }

    /// How long a graceful shutdown waits, in all, for the requests already sent (`DrainDeadline`:
    /// from the first service's drain, not each service's own): a few seconds, as most
    /// answers take (a page of 10,000 bars is well under a second on a working provider), short
    /// enough that stopping never feels stuck; a second Ctrl-C during `collect`'s drain ends at once.
    package static let drainDeadline = Duration.seconds(5)

    /// Runs a service's `work` (`source`'s backfill or poller); on graceful shutdown, drains the
    /// source's requests (`drain`) and cancels `work` if it has not returned by the shutdown's one
    /// deadline (`DrainDeadline`: a sleep on `clock` named `purpose`). `work` must end by itself
    /// once the shutdown began.
    package func draining<T: Sendable>(
        _ source: SourceID, clock: any Clock<Duration>, purpose: String, _ work: @escaping @Sendable () async -> T
    ) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
            group.addTask {
                do { try await gracefulShutdown() } catch { return nil }  // the work returned first
                self.drain(source)
                try? await self.deadline.sleep(on: clock, purpose: purpose)
                return nil
            }
            var result: T?
            while let next = await group.next() {
                // Either the work returned, or the deadline passed: the work ends now.
                group.cancelAll()
                if let next { result = next }
            }
            // The work's child returns a value whatever happens, and the loop ran until it did.
            return result!
        }
    }

    /// The requests already sent (spent) and not yet answered and handed on: what a shutdown's
    /// drain waits for.
    package struct Sent: Sendable, Hashable {
        package var history = 0
        package var quotes = 0

        package init(history: Int = 0, quotes: Int = 0) {
            self.history = history
            self.quotes = quotes
        }

        package var total: Int { history + quotes }

        package static func + (left: Sent, right: Sent) -> Sent {
            Sent(history: left.history + right.history, quotes: left.quotes + right.quotes)
        }
    }

    /// The requests already sent and not yet ended (`Sent`).
    package var sent: Sent {
        state.withLock { state in
            var sent = Sent()
            for entry in state.entries.values where entry.spent {
                if entry.symbol == nil { sent.quotes += 1 } else { sent.history += 1 }
            }
            return sent
        }
    }

    /// Withdraws the unspent requests `matching`, stops the spent ones; returns the spent ones' ids.
    private func stop(_ matching: (Entry) -> Bool) -> [Int] {
        let (spent, wakes) = state.withLock { state in
            var spent: [Int] = []
            var wakes: [@Sendable () -> Void] = []
            for (id, entry) in state.entries where matching(entry) {
                if entry.spent {
                    spent.append(id)
                    state.entries[id]?.stopped = true
                } else {
                    state.entries[id]?.withdrawn = true
                    if let cancel = entry.cancel { wakes.append(cancel) }
                }
                wakes.append(entry.refusal.release)
            }
            return (spent, wakes)
        }
        // Outside the lock: a cancellation handler runs at once, in this thread.
        for wake in wakes { wake() }
        return spent
    }

    /// How many requests are under way (tests).
    package var count: Int { state.withLock { $0.entries.count } }

    /// The request took its slot: spent, unless it was withdrawn or stopped first (then it sends nothing).
    private func spend(_ ticket: Ticket) -> Bool {
        state.withLock { state in
            guard let entry = state.entries[ticket.id], !entry.isRefused else { return false }
            state.entries[ticket.id]?.spent = true
            return true
        }
    }

    private func isRefused(_ ticket: Ticket) -> Bool {
        state.withLock { $0.entries[ticket.id]?.isRefused ?? true }
    }

    /// Returns once the request is withdrawn or stopped, or the task is cancelled.
    private func refused(_ ticket: Ticket) async {
        // One withdrawn or stopped from now on has its latch released after this look-up.
        let refusal = state.withLock { state in state.entries[ticket.id].flatMap { $0.isRefused ? nil : $0.refusal } }
        await refusal?.wait()
    }
}
