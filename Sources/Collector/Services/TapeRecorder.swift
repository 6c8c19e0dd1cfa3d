import Logging
import ServiceLifecycle
import Synchronization

/// The tape's writer, off the hot path: producers hand it every trade and quote as received
/// (`record`, a lock and an append), and its own task writes what waits in batches of at most
/// `batchSize` ticks, one transaction each. While the writer catches up, ticks pile up and the
/// next write takes more of them (up to `batchSize` each), so a faster feed makes bigger batches.
/// With a `linger`, the writer waits that long after a tick arrives to an idle queue (unless a
/// whole batch already waits): a slow feed then makes one transaction per `linger`, not one per
/// frame (a transaction costs about as much as a few hundred rows). `finish` cuts the wait short.
///
/// Bounded: at most `capacity` ticks wait. One more is turned away and counted (`ticksLost`),
/// never silently: the board's store banner and `--once` show it. A failed write is logged and
/// its ticks counted as lost too (the tape keeps no spill file).
package final class TapeRecorder: Sendable {
    private struct State {
        var waiting: [Tick] = []
        /// Taken by the writer and not yet written.
        var inFlight = 0
        var statistics = TapeStatistics()
        var finished = false
        /// The writer's wait for more ticks (`linger`), cancelled by `finish`.
        var lingering: Task<Void, Never>?
    }

    package let capacity: Int
    package let batchSize: Int
    private let store: any TickStore
    private let state = Mutex(State())
    private let bell: AsyncStream<Void>.Continuation
    private let doorbell: AsyncStream<Void>
    private let logger: Logger
    private let linger: Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    /// The `SleepPurpose` of the writer's wait for more ticks.
    package static let lingerPurpose = "tape linger"

    /// Ticks that may wait by default: over a second of a 200k msgs/s feed, at most about 50 MB.
    package static let defaultCapacity = 1 << 18

    package init(
        store: any TickStore, batchSize: Int, capacity: Int = TapeRecorder.defaultCapacity, linger: Duration = .zero,
        clock: some Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        self.store = store
        self.linger = linger
        sleep = { try await clock.sleep(for: $0, purpose: TapeRecorder.lingerPurpose) }
        self.batchSize = max(1, batchSize)
        self.capacity = max(1, capacity)
        self.logger = logger
        (doorbell, bell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues one trade or quote (a bar is not tape). Never waits.
    package func record(_ event: MarketEvent) {
        guard let tick = Tick(event) else { return }
        let ring = state.withLock { state -> Bool in
            guard !state.finished, state.waiting.count + state.inFlight < capacity else {
                state.statistics.ticksLost += 1
                state.statistics.ticksTurnedAway += 1
                return false
            }
            state.waiting.append(tick)
            return state.waiting.count == 1
        }
        // Only the first waiting tick rings: the writer takes everything that waits when it wakes.
        if ring { bell.yield() }
    }

    /// Queues the trades and quotes among `events` (bars are not tape). Never waits.
    package func record(_ events: some Sequence<MarketEvent>) {
        let ticks = events.compactMap(Tick.init)
        guard !ticks.isEmpty else { return }
        let ring = state.withLock { state -> Bool in
            let wasEmpty = state.waiting.isEmpty
            let room = state.finished ? 0 : max(0, capacity - state.waiting.count - state.inFlight)
            state.waiting.append(contentsOf: ticks.prefix(room))
            let refused = ticks.count - min(room, ticks.count)
            state.statistics.ticksLost += refused
            state.statistics.ticksTurnedAway += refused
            return wasEmpty && !state.waiting.isEmpty
        }
        if ring { bell.yield() }
    }

    /// What the tape has done so far.
    package var statistics: TapeStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.ticksWaiting = state.waiting.count + state.inFlight
            return statistics
        }
    }

    /// Ends the input: `run` writes what waits, then returns. Ticks recorded later are lost (counted).
    package func finish() {
        let lingering = state.withLock { state in
            state.finished = true
            return state.lingering
        }
        lingering?.cancel()
        bell.finish()
    }

    /// Writes what waits until `finish`, then writes the rest and returns.
    package func run() async {
        for await _ in doorbell {
            await waitForMore()
            await writeWaiting()
        }
        await writeWaiting()
    }

    /// Waits `linger` for more ticks, unless a batch is full already or `finish` was called.
    private func waitForMore() async {
        guard linger > .zero else { return }
        let (linger, sleep) = (linger, sleep)
        let sleeper = Task { _ = try? await sleep(linger) }
        let wait = state.withLock { state in
            guard !state.finished, state.waiting.count < batchSize else { return false }
            state.lingering = sleeper
            return true
        }
        if wait { await sleeper.value } else { sleeper.cancel() }
        state.withLock { $0.lingering = nil }
    }

    /// Takes every waiting tick and writes them in batches of at most `batchSize`, until none wait.
    private func writeWaiting() async {
        while true {
            let taken = state.withLock { state -> [Tick] in
                var taken: [Tick] = []
                swap(&taken, &state.waiting)
                state.inFlight = taken.count
                return taken
            }
            guard !taken.isEmpty else { return }
            var start = 0
            while start < taken.count {
                let batch = Array(taken[start..<min(start + batchSize, taken.count)])
                start += batch.count
                do {
                    let written = try await store.writeTicks(batch)
                    state.withLock { $0.statistics.ticksWritten += written }
                } catch {
                    state.withLock { state in
                        state.statistics.ticksLost += batch.count
                        state.statistics.lastError = "\(error)"
                    }
                    logger.error("the tape could not write \(batch.count) ticks", metadata: ["error": "\(error)"])
                }
                state.withLock { $0.inFlight -= batch.count }
            }
        }
    }
}
