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
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Items queued and not yet taken.
    var queued: Int { state.withLock { $0.queued } }

    /// Producers held back now (for tests: the proof that a producer is waiting).
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Waits until fewer than `capacity` items are queued.
    func waitForRoom() async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.open || state.queued < capacity || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Counts one more item; returns whether there is still room.
    @discardableResult
    func added() -> Bool {
        state.withLock { state in
            state.queued += 1
            return state.queued < capacity
        }
    }

    /// `count` items were taken: waiters may go, earliest first, while there is room.
    func taken(_ count: Int = 1) {
        guard count > 0 else { return }
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.queued -= count
            let room = capacity - state.queued
            guard room > 0 else { return [] }
            let first = state.waiters.keys.sorted().prefix(room)
            return first.compactMap { state.waiters.removeValue(forKey: $0) }
        }
        for waiter in ready { waiter.resume() }
    }

    /// Lets every waiter and every later caller through (the pipeline stopped taking input).
    func openForGood() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}
