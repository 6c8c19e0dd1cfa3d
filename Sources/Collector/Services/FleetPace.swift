import Logging
import Synchronization

/// Paces the fleet's periodic work on the injected clock: a collector's rounds (`FleetCoordinator`)
/// and a viewer's reads of the registry (`ViewerFleet`). `run(_:)` calls its body at once, then
/// again every `interval`, or as soon as a round of any collector moves leases (LISTEN on the
/// fleet's channel: a join, a takeover, a hand-over) or `wakeNow()` is called. It also calls it
/// once each time the LISTEN takes effect (at start, after a lost connection): a move announced
/// while nobody here listened is not left until the next interval.
struct FleetPace: Sendable {
    let store: PostgresStore
    let interval: Duration
    let clock: any Clock<Duration>
    let logger: Logger
    /// The sleep purposes (`ManualClock` tests wait for them by name).
    let sleepPurpose: String
    let listenPurpose: String
    private let wake = Wake()

    init(
        store: PostgresStore, interval: Duration, clock: any Clock<Duration>, logger: Logger, sleepPurpose: String,
        listenPurpose: String
    ) {
        self.store = store
        self.interval = interval
        self.clock = clock
        self.logger = logger
        self.sleepPurpose = sleepPurpose
        self.listenPurpose = listenPurpose
    }

    /// Calls `body` now and after each pause, until cancelled (thrown).
    func run(_ body: @Sendable () async -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.listen() }
            while !Task.isCancelled {
                await body()
                try await self.pause()
            }
            group.cancelAll()
        }
    }

    /// Ends the pause under way (or the next one) at once.
    func wakeNow() { wake.fire() }

    /// Until `interval` has passed on the clock, or a wake.
    private func pause() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.clock.sleep(for: self.interval, purpose: self.sleepPurpose) }
            group.addTask { await self.wake.wait() }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Wakes the loop whenever a round of the fleet moves leases; after a lost connection, listens
    /// again an interval later (the loop goes on meanwhile).
    private func listen() async {
        while !Task.isCancelled {
            do {
                try await store.followFleetChanges { [wake] in wake.fire() }
            } catch {
                if Task.isCancelled { return }
                logger.debug("fleet: listening for lease changes failed", metadata: ["error": "\(error)"])
            }
            try? await clock.sleep(for: interval, purpose: listenPurpose)
        }
    }
}

/// Wakes a waiting task; a wake with nobody waiting is kept for the next wait.
private final class Wake: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func fire() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.pending = true
                return CheckedContinuation<Void, Never>?.none
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next `fire` (at once when one is pending) or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            fire()
        }
    }
}
