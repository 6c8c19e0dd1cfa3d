import Synchronization

/// Whether a source's live stream is connected, and the symbols it is subscribed to; the
/// source's poller skips the symbols a connected stream covers (polling stands in for the rest).
///
/// Whether the stream is up is not decided here: it follows the stream's own health reports
/// (`follow`), the same facts the `HealthBook` reduces, so the poller and the source's health
/// never disagree about it.
package final class StreamStatus: Sendable {
    private let connected = Atomic(false)
    private let openedCount = Atomic(0)
    private let droppedCount = Atomic(0)
    private let subscribed = Mutex<Set<Symbol>>([])
    /// Callers of `untilSubscribed`, by ticket.
    private let waiters = Mutex<(next: Int, waiting: [Int: CheckedContinuation<Void, Never>])>((0, [:]))

    package init() {}

    /// Returns once the stream is connected with symbols subscribed (at once if it is), or
    /// when the calling task is cancelled.
    package func untilSubscribed() async {
        let ticket = waiters.withLock { state in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked and registered under the lock `wakeIfLive` takes after every change: no lost wake-up.
                let ready = waiters.withLock { state in
                    if isLive || Task.isCancelled { return true }
                    state.waiting[ticket] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            waiters.withLock { $0.waiting.removeValue(forKey: ticket) }?.resume()
        }
    }

    /// Whether a caller waits in `untilSubscribed` (for tests: the moment a wait has begun).
    var isAwaited: Bool { waiters.withLock { !$0.waiting.isEmpty } }

    /// Callers of `untilDropped`, by ticket.
    private let dropWaiters = Mutex<(next: Int, waiting: [Int: CheckedContinuation<Void, Never>])>((0, [:]))

    /// Connections lost so far (connected, then not).
    package var dropped: Int { droppedCount.load(ordering: .acquiring) }

    /// Returns once the stream has dropped more than `seen` times (at once if it has), or when the
    /// calling task is cancelled: a poller standing in for the stream polls its symbols then.
    package func untilDropped(past seen: Int) async {
        let ticket = dropWaiters.withLock { state in
            state.next += 1
            return state.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked and registered under the lock `set` takes after counting a drop: no lost wake-up.
                let ready = dropWaiters.withLock { state in
                    if dropped > seen || Task.isCancelled { return true }
                    state.waiting[ticket] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            dropWaiters.withLock { $0.waiting.removeValue(forKey: ticket) }?.resume()
        }
    }

    /// Whether a caller waits in `untilDropped` (for tests: the moment a wait has begun).
    var isDropAwaited: Bool { dropWaiters.withLock { !$0.waiting.isEmpty } }

    private var isLive: Bool { isConnected && !subscribed.withLock(\.isEmpty) }

    private func wakeIfLive() {
        guard isLive else { return }
        let woken = waiters.withLock { state in
            let waiting = state.waiting
            state.waiting = [:]
            return waiting
        }
        for continuation in woken.values { continuation.resume() }
    }

    package var isConnected: Bool { connected.load(ordering: .acquiring) }

    /// Connections opened so far (upgraded, whether or not they went live).
    package var opened: Int { openedCount.load(ordering: .acquiring) }

    /// Whether the stream is connected and subscribed to `symbol` (its values come from the stream).
    package func covers(_ symbol: Symbol) -> Bool {
        isConnected && subscribed.withLock { $0.contains(symbol) }
    }

    /// Follows the health facts the stream reports: a connection gone live (`connected`,
    /// `probing` after a pause, trouble it keeps the connection through, values it delivered) is
    /// up; a failure is the connection's end.
    package func follow(_ facts: [HealthFact]) {
        for fact in facts {
            switch fact {
            case .connected, .probing, .streamTrouble: set(true)
            case .delivered(_, let delivery) where delivery.path == .stream: set(true)
            case .failed: set(false)
            default: continue
            }
        }
    }

    func set(_ value: Bool) {
        let was = connected.exchange(value, ordering: .acquiringAndReleasing)
        if was && !value {
            droppedCount.add(1, ordering: .releasing)
            let woken = dropWaiters.withLock { state in
                defer { state.waiting = [:] }
                return state.waiting
            }
            for continuation in woken.values { continuation.resume() }
        }
        wakeIfLive()
    }

    /// The symbols subscribed on the open connection.
    func setSubscribed(_ symbols: Set<Symbol>) {
        subscribed.withLock { $0 = symbols }
        wakeIfLive()
    }

    func countOpened() { openedCount.add(1, ordering: .releasing) }
}
