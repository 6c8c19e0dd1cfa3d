import AsyncAlgorithms
import Logging
import ServiceLifecycle
import Synchronization

/// Writes values to the store off the hot path.
///
/// The ingest pipeline calls `submit(_:)` (never blocks, never drops: the buffer
/// is unbounded). `run()` merges up to `batchSize` submitted batches, or whatever
/// arrived within `flushInterval`, into one write (one transaction). It does not
/// stop on graceful shutdown: it returns once `finish()` was called and
/// everything submitted before it is written, so pending values are flushed on
/// SIGINT. A failed write is logged, counted and retried once on the next flush.
public final class StoreWriter: Service, StoreSink, Sendable {
    private let store: any MarketStore
    private let batchSize: Int
    private let maxRowsPerWrite: Int
    private let flushInterval: Duration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let input: AsyncStream<StoreBatch>
    private let continuation: AsyncStream<StoreBatch>.Continuation
    private let counters = Mutex(StoreWriterStatistics())

    /// - Parameters:
    ///   - batchSize: the most submitted batches merged into one write.
    ///   - maxRowsPerWrite: the most rows in one write (one transaction); a larger
    ///     merge is written in slices of this size, in order.
    ///   - flushInterval: how often whatever is buffered is written.
    public init(
        store: any MarketStore, batchSize: Int, maxRowsPerWrite: Int = .max, flushInterval: Duration,
        clock: some Clock<Duration> = ContinuousClock(), logger: Logger
    ) {
        precondition(batchSize > 0, "batchSize must be positive")
        precondition(flushInterval > .zero, "flushInterval must be positive")
        self.store = store
        self.batchSize = batchSize
        self.maxRowsPerWrite = maxRowsPerWrite
        self.flushInterval = flushInterval
        self.clock = clock
        self.logger = logger
        (input, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Queues a batch for writing. Safe to call from any task; returns at once.
    public func submit(_ batch: StoreBatch) {
        guard !batch.isEmpty else { return }
        if case .terminated = continuation.yield(batch) {
            logger.error("store writer: \(batch.count) rows were submitted after finish() and are not written")
            counters.withLock { $0.rowsDropped += batch.count }
        }
    }

    /// Ends the input: `run()` writes what is pending and returns.
    public func finish() {
        continuation.finish()
    }

    /// What the writer has done so far.
    public func statistics() async -> StoreWriterStatistics {
        counters.withLock { $0 }
    }

    /// Consumes submitted batches until `finish()` and writes them; call once.
    public func run() async {
        await consume(clock: clock)
    }

    private func consume<C: Clock>(clock: C) async where C.Duration == Duration {
        let chunks = input.chunks(ofCount: batchSize, or: .repeating(every: flushInterval, clock: clock))
        var retry: StoreBatch?
        for await chunk in chunks {
            var merged = StoreBatch()
            for batch in chunk { merged.append(contentsOf: batch) }
            for slice in merged.sliced(maxRows: maxRowsPerWrite) {
                retry = await flush(slice, retrying: retry)
            }
        }
        if let retry, await !write(retry, lastAttempt: true) {
            drop(retry)
        }
    }

    /// Gives `previous` its second and last attempt, then writes `batch`;
    /// returns the batch to retry on the next flush, if any.
    private func flush(_ batch: StoreBatch, retrying previous: StoreBatch?) async -> StoreBatch? {
        if let previous, await !write(previous, lastAttempt: true) {
            drop(previous)
        }
        guard !batch.isEmpty else { return nil }
        return await write(batch, lastAttempt: false) ? nil : batch
    }

    /// One write; true when it succeeded.
    private func write(_ batch: StoreBatch, lastAttempt: Bool) async -> Bool {
        do {
            let result = try await store.write(batch)
            counters.withLock {
                $0.batchesWritten += 1
                $0.rowsWritten += batch.count
                $0.barsInserted += result.barsInserted
                $0.barsAlreadyStored += result.barsAlreadyStored
            }
            return true
        } catch {
            let description = String(describing: error)
            let next = lastAttempt ? "it is not retried again" : "it is retried on the next flush"
            logger.error("\(description); the write of \(batch.count) rows failed and \(next)")
            counters.withLock {
                $0.failures += 1
                $0.lastError = description
            }
            return false
        }
    }

    private func drop(_ batch: StoreBatch) {
        logger.error("store writer: gave up on \(batch.count) rows after two failed writes")
        counters.withLock { $0.rowsDropped += batch.count }
    }
}
