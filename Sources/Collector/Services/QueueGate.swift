import Synchronization

/// Counts items waiting in a queue and holds back producers that would queue more than
/// `capacity` (the ingest pipeline's batches, a stream buffer's trades and bars). A waiter
/// resumes when items are taken, when the gate opens for good (at shutdown) or when cancelled.
final class QueueGate: Sendable {
    let capacity: Int
    private struct State {
        var queued = 0
        var open = false
        var nextID = 0
        /// Each waiter with the number of queued items it waits to go below.
        var waiters: [Int: (continuation: CheckedContinuation<Void, Never>, limit: Int)] = [:]
    }
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Items queued and not yet taken.
    var queued: Int { state.withLock { $0.queued } }

    /// Producers held back now (for tests: the proof that a producer is waiting).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Waits until fewer than `capacity` items are queued, or fewer than `limit` when that is
    /// smaller (a producer of large items keeps fewer of them waiting).
    func waitForRoom(below limit: Int? = nil) async {
        let limit = max(1, min(capacity, limit ?? capacity))
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.open || state.queued < limit || Task.isCancelled { return true }
                    state.waiters[id] = (continuation, limit)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    /// Counts `count` more items (one by default); returns whether there is still room.
    @discardableResult
    func added(_ count: Int = 1) -> Bool {
        state.withLock { state in
            state.queued += count
            return state.queued < capacity
        }
    }

    /// `count` items were taken: waiters may go, earliest first, while there is room.
    func taken(_ count: Int = 1) {
        guard count > 0 else { return }
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.queued -= count
            // Earliest first, each while the queue (with those already let go) is below its limit.
            var going = 0
            var ready: [CheckedContinuation<Void, Never>] = []
            for id in state.waiters.keys.sorted() {
                guard let waiter = state.waiters[id], state.queued + going < waiter.limit else { continue }
                state.waiters[id] = nil
                ready.append(waiter.continuation)
                going += 1
            }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// Lets every waiter and every later caller through (the pipeline stopped taking input).
    func openForGood() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for waiter in waiters { waiter.resume() }
    }
}
