import AsyncAlgorithms
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Writes values to the store off the hot path.
///
/// The ingest pipeline calls `submit(_:)` (never blocks). `run()` merges up to
/// `batchSize` submitted batches, or whatever arrived within `flushInterval`, into
/// one write (one transaction); at once while a producer waits for room
/// (`waitForRoom(belowRows:)`, the start-up backfill). It does not stop on graceful shutdown: it returns
/// once `finish()` was called and everything submitted before it is written, so
/// pending values are flushed on SIGINT.
///
/// A failed write loses nothing that can be kept: its rows, and every row
/// submitted while writes fail, wait in a `StoreBacklog` (memory, then the spill
/// file beside the database) and are written in one transaction, oldest first,
/// when a retry succeeds. Retries back off on the injected clock. A run that ends
/// while writes fail leaves its rows in the spill file, and the next `run()`
/// writes them first. Only rows that fit nowhere, or that no store can take (a
/// NaN price), are dropped; they are counted and named in the statistics. The
/// log says when writes start failing, at most every `logSummaryInterval` how
/// things stand, and when they work again. Bars a write revised are counted per
/// source in the state's source health (`HealthFact.revised`).
public final class StoreWriter: Service, StoreSink, Sendable {
    /// How much is kept while writes fail, and how retries and the log are paced.
    public struct Retention: Sendable, Hashable {
        /// Rows kept in memory while writes fail.
        package var memoryRows: Int
        /// Rows kept in the spill file once memory is full, and at the end of a run.
        package var spillRows: Int
        package var retry: RetryBackoff
        /// Least time between two log lines about the same failure.
        package var logSummaryInterval: Duration

        public init(
            memoryRows: Int = 100_000, spillRows: Int = 500_000,
            retry: RetryBackoff = RetryBackoff(initial: .seconds(1), maximum: .seconds(60)),
            logSummaryInterval: Duration = .seconds(60)
        ) {
            self.memoryRows = memoryRows
            self.spillRows = spillRows
            self.retry = retry
            self.logSummaryInterval = logSummaryInterval
        }
    }

    private enum Event: Sendable {
        case batch(StoreBatch)
        case tick
        /// Write what is buffered now, then resume the waiter.
        case flush(CheckedContinuation<Void, Never>)
        case end
    }

    private let store: any MarketStore
    /// Where revisions are counted per source; nil counts them nowhere.
    private let state: MarketState?
    private let batchSize: Int
    private let maxRowsPerWrite: Int
    private let flushInterval: Duration
    /// `consume(clock:)` on the clock given to `init`, its type known there.
    private let consumeOnClock: @Sendable (StoreWriter) async -> Void
    private let timeSource: any TimeSource
    private let spill: StoreSpillFile?
    private let retention: Retention
    private let logger: Logger
    private let input: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let counters = Mutex(StoreWriterStatistics())
    /// Rows submitted and not yet written (or kept in the backlog): `waitForRoom(belowRows:)` waits on it.
    private let unwritten = QueueGate(capacity: .max)
    private let metrics: CollectorMetrics

    /// - Parameters:
    ///   - batchSize: the most submitted batches merged into one write.
    ///   - maxRowsPerWrite: the most rows in one write (one transaction); a larger
    ///     merge is written in slices of this size, in order.
    ///   - flushInterval: how often whatever is buffered is written (and a due retry made).
    ///   - timeSource: wall time, for when writes started failing.
    ///   - spillPath: the database whose spill file keeps rows while writes fail
    ///     (see `StoreSpillFile`); nil keeps them in memory only.
    ///   - state: the state whose source health counts the bars each source revised.
    public init(
        store: any MarketStore, state: MarketState? = nil, batchSize: Int, maxRowsPerWrite: Int = .max, flushInterval: Duration,
        clock: some Clock<Duration> = ContinuousClock(), timeSource: any TimeSource = SystemTimeSource(),
        spillFor databasePath: String? = nil, retention: Retention = Retention(), metrics: CollectorMetrics = .system,
        logger: Logger
    ) {
        precondition(batchSize > 0, "batchSize must be positive")
        precondition(flushInterval > .zero, "flushInterval must be positive")
        self.store = store
        self.state = state
        self.batchSize = batchSize
        self.maxRowsPerWrite = maxRowsPerWrite
        self.flushInterval = flushInterval
        consumeOnClock = { writer in await writer.consume(clock: clock) }
        self.timeSource = timeSource
        self.spill = databasePath.map(StoreSpillFile.init(forDatabaseAt:))
        self.retention = retention
        self.logger = logger
        self.metrics = metrics
        (input, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        counters.withLock { $0.spillPath = spill?.path }
        metrics.storeStarted()
    }

    /// Queues a batch for writing. Safe to call from any task; returns at once.
    public func submit(_ batch: StoreBatch) {
        guard !batch.isEmpty else { return }
        unwritten.added(batch.count)
        if case .terminated = continuation.yield(.batch(batch)) {
            unwritten.taken(batch.count)
            logger.error("store writer: \(batch.count) rows were submitted after finish() and are not written")
            counters.withLock { $0.recordDrop(batch) }
            metrics.dropped(rows: batch.count)
        }
    }

    /// Returns once every batch submitted before the call was written, or kept to be retried
    /// (`current` then says which); at once after `finish()`. Needs `run()` to be running.
    package func flushed() async {
        await withCheckedContinuation { waiter in
            if case .terminated = continuation.yield(.flush(waiter)) { waiter.resume() }
        }
    }

    /// Returns once fewer than `limit` submitted rows are still to be written (or kept to be
    /// retried), at once after `run()` ended. What is buffered is written now rather than at the
    /// next `flushInterval`, so a held-back producer waits for the store, not for the timer.
    public func waitForRoom(belowRows limit: Int) async {
        guard unwritten.queued >= limit else { return }
        continuation.yield(.tick)
        await unwritten.waitForRoom(below: limit)
    }

    /// Ends the input: `run()` writes what is pending and returns.
    public func finish() {
        continuation.yield(.end)
        continuation.finish()
    }

    /// What the writer has done so far, without waiting (`CollectorRuntime.snapshot()` attaches
    /// it to the snapshot as `MarketSnapshot.store`, which the board and `--once` read).
    public var current: StoreWriterStatistics {
        counters.withLock { $0 }
    }

    /// Writes rows left in the spill file by an earlier run, then consumes submitted
    /// batches until `finish()` and writes them; call once.
    public func run() async {
        await consumeOnClock(self)
    }

    private func consume<C: Clock>(clock: C) async where C.Duration == Duration {
        var loop = WriteLoop(writer: self, clock: clock)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [continuation, flushInterval] in
                for await _ in AsyncTimerSequence(interval: flushInterval, clock: clock) {
                    continuation.yield(.tick)
                }
            }
            await loop.start()
            var buffer = StoreBatch()
            var buffered = 0
            events: for await event in input {
                switch event {
                case .batch(let batch):
                    // The first batch is taken as it is (a backfill's can hold 10,000 bars): no copy.
                    if buffer.isEmpty { buffer = batch } else { buffer.append(contentsOf: batch) }
                    buffered += 1
                    // A producer held back by `waitForRoom` waits for this write, not for the next tick.
                    guard buffered >= batchSize || unwritten.waiting > 0 else { continue }
                case .tick:
                    guard buffer.isEmpty else { break }
                    await loop.retryIfDue()
                    continue
                case .flush(let waiter):
                    await loop.write(buffer)
                    unwritten.taken(buffer.count)
                    buffer = StoreBatch()
                    buffered = 0
                    waiter.resume()
                    continue
                case .end:
                    break events
                }
                await loop.write(buffer)
                unwritten.taken(buffer.count)
                buffer = StoreBatch()
                buffered = 0
            }
            group.cancelAll()
            await loop.write(buffer)
            await loop.end()
            unwritten.openForGood()
            // Waiters that came after the end (the stream keeps events yielded before `finish()`).
            for await event in input { if case .flush(let waiter) = event { waiter.resume() } }
        }
    }

    /// The state of one `run()`: the backlog, and the failure being retried.
    private struct WriteLoop<C: Clock> where C.Duration == Duration {
        /// Writes are failing: since when, why, and when to try again.
        struct Failure {
            var since: Timestamp
            var cause: String
            var attempts: Int
            var nextRetry: C.Instant
            var lastLog: C.Instant
        }

        let writer: StoreWriter
        let clock: C
        var backlog: StoreBacklog
        var failure: Failure?

        init(writer: StoreWriter, clock: C) {
            self.writer = writer
            self.clock = clock
            backlog = StoreBacklog(
                memoryLimit: writer.retention.memoryRows, spillLimit: writer.retention.spillRows, spill: writer.spill)
        }

        var logger: Logger { writer.logger }

        /// Writes what an earlier run left in the spill file, first.
        mutating func start() async {
            do {
                guard let leftover = try backlog.adoptLeftover() else { return }
                logger.notice("store writer: writing \(leftover.rows) rows an earlier run kept in \(writer.spill?.path ?? "")")
            } catch {
                logger.error(
                    "store writer: cannot read the spill file \(writer.spill?.path ?? ""): \(error.localizedDescription); it is left as it is"
                )
                return
            }
            publish()
            await retry()
        }

        /// Writes `batch` in slices, unless earlier rows are waiting: then it waits behind them.
        mutating func write(_ batch: StoreBatch) async {
            guard !batch.isEmpty else { return }
            guard backlog.isEmpty else {
                keep(batch)
                await retryIfDue()
                return
            }
            var slices = batch.sliced(maxRows: writer.maxRowsPerWrite)[...]
            while let slice = slices.popFirst() {
                guard await attempt(slice) else {
                    keep(slice)
                    for rest in slices { keep(rest) }
                    return
                }
            }
        }

        mutating func retryIfDue() async {
            guard !backlog.isEmpty, let failure, clock.now >= failure.nextRetry else { return }
            await retry()
        }

        /// One attempt to write everything waiting, in one transaction.
        mutating func retry() async {
            guard !backlog.isEmpty else { return }
            let waiting: StoreBatch
            do {
                let all = try backlog.all()
                waiting = all.batch
                if all.unreadableLines > 0 {
                    logger.error("store writer: \(all.unreadableLines) lines of the spill file cannot be read and are dropped")
                    writer.counters.withLock { $0.unreadableSpillLines += all.unreadableLines }
                }
            } catch {
                logger.error(
                    "store writer: cannot read the spill file \(writer.spill?.path ?? ""): \(error.localizedDescription)")
                failed(because: "cannot read the spill file", description: error.localizedDescription)
                return
            }
            if await attempt(waiting) { backlog.clear() }
            publish()
        }

        /// At the end: one last try, then what still waits goes to the spill file for the next start.
        mutating func end() async {
            if !backlog.isEmpty { await retry() }
            if let lost = backlog.spillMemory() {
                drop(lost, because: backlog.spillError ?? "there is no spill file")
            }
            if backlog.spilledRows > 0, let path = writer.spill?.path {
                logger.error(
                    "store writer: \(backlog.spilledRows) rows could not be written and are kept in \(path); the next start writes them"
                )
            }
            publish()
        }

        /// One write; true when it succeeded. A value no store can take is dropped (true: nothing to retry).
        private mutating func attempt(_ batch: StoreBatch) async -> Bool {
            do {
                let started = clock.now
                let result = try await writer.store.write(batch)
                writer.metrics.stored(batch, in: started.duration(to: clock.now))
                writer.counters.withLock {
                    $0.batchesWritten += 1
                    $0.rowsWritten += batch.count - result.rowsFenced
                    $0.rowsFenced += result.rowsFenced
                    $0.rowsOfLostLeases += result.rowsOfLostLeases
                    $0.barsInserted += result.barsInserted
                    $0.barsAlreadyStored += result.barsAlreadyStored
                    $0.barsRevised += result.barsRevised
                    $0.revisedBySource.merge(result.revisedBySource, uniquingKeysWith: +)
                }
                recovered(rows: batch.count)
                if let state = writer.state, !result.revisedBySource.isEmpty {
                    let counts = result.revisedBySource.sorted { $0.key < $1.key }
                    let outcome = await state.apply(health: counts.map { .revised($0.key, bars: $0.value) })
                    OutcomeRecorder(sink: writer, logger: logger, metrics: writer.metrics).record(outcome)
                }
                return true
            } catch {
                let storeError = StoreError(operation: .write, location: "the store", error: error)
                if storeError.kind == .invalidValue {
                    drop(batch, because: storeError.detail)
                    return true
                }
                failed(because: storeError.cause, description: String(describing: error))
                return false
            }
        }

        private mutating func keep(_ batch: StoreBatch) {
            if let reason = batch.unstorableReason {
                drop(batch, because: reason)
            } else if let lost = backlog.keep(batch) {
                drop(lost, because: backlog.spillError ?? "the \(backlog.rows) rows already waiting fill the backlog")
            }
            publish()
            summarizeIfDue()
        }

        private mutating func failed(because cause: String, description: String) {
            let now = clock.now
            writer.metrics.writeFailed()
            writer.counters.withLock {
                $0.failures += 1
                $0.lastError = description
            }
            if var failure {
                failure.attempts += 1
                failure.cause = cause
                failure.nextRetry = now.advanced(by: writer.retention.retry.delay(forAttempt: failure.attempts))
                self.failure = failure
                summarizeIfDue()
            } else {
                failure = Failure(
                    since: writer.timeSource.now(), cause: cause, attempts: 1,
                    nextRetry: now.advanced(by: writer.retention.retry.delay(forAttempt: 1)), lastLog: now)
                logger.error("store writes fail (\(cause)): \(description); rows are kept and retried with backoff")
            }
            publish()
        }

        private mutating func recovered(rows: Int) {
            guard let failure else { return }
            self.failure = nil
            let dropped = writer.counters.withLock { $0.rowsDropped }
            logger.notice(
                "store writes work again after failing since \(failure.since) (\(failure.cause), \(failure.attempts) failed attempts): \(rows) rows written, \(dropped) dropped in this run"
            )
            publish()
        }

        private mutating func drop(_ batch: StoreBatch, because reason: String) {
            guard !batch.isEmpty else { return }
            let first = writer.counters.withLock { statistics in
                defer { statistics.recordDrop(batch) }
                return statistics.rowsDropped == 0
            }
            writer.metrics.dropped(rows: batch.count)
            // Drops during a failure are summarised; a value no store takes is named each time.
            if first || failure == nil {
                logger.error("store writer: \(batch.count) rows are dropped: \(reason)")
            }
        }

        private mutating func summarizeIfDue() {
            guard var failure, clock.now >= failure.lastLog.advanced(by: writer.retention.logSummaryInterval) else { return }
            failure.lastLog = clock.now
            self.failure = failure
            let statistics = writer.current
            logger.warning(
                "store writes still fail since \(failure.since) (\(failure.cause)): \(statistics.rowsWaiting) rows waiting, \(statistics.rowsDropped) dropped, \(failure.attempts) failed attempts"
            )
        }

        /// Makes the backlog and the failure visible in the statistics.
        private func publish() {
            writer.counters.withLock {
                $0.rowsWaiting = backlog.rows
                $0.rowsSpilled = backlog.spilledRows
                $0.failingSince = failure?.since
                $0.failureCause = failure?.cause
            }
            writer.metrics.storeBacklog(rows: backlog.rows)
        }
    }
}
