import Logging
import ServiceLifecycle
import Synchronization

/// The hot path: takes batches from every source, validates them, applies
/// them to `MarketState` in one actor call per batch, and hands accepted bars,
/// latest quotes and anomalies to the store sink. Runs as one task, which owns
/// the validator, so no value is shared across threads.
package final class IngestPipeline: Service, Sendable {
    private let input: AsyncStream<Queued>
    private let continuation: AsyncStream<Queued>.Continuation
    private let state: MarketState
    private let sink: (any StoreSink)?
    /// The validator as configured; `run` takes its own copy and owns it.
    private let validator: Validator
    private let timeSource: any TimeSource
    private let logger: Logger
    private let gate: QueueGate
    private let metrics: CollectorMetrics
    /// The tape (`[store] ticks = true`): producers record every trade and quote here as received,
    /// before their stream buffer coalesces quotes and before validation.
    package let tape: TapeRecorder?
    /// Who waits in `sendAndWait` for which queued batch; once stopped, nobody waits.
    private let waiting = Mutex<(next: Int, waiters: [Int: CheckedContinuation<Void, Never>], stopped: Bool)>((0, [:], false))

    /// - Parameter validator: the rules to run; the default is version 1 only, and
    ///   `CollectorRuntime` passes the configured version 2 validator.
    /// - Parameter capacity: batches `send` lets wait before it holds its caller back.
    package init(
        state: MarketState, sink: (any StoreSink)?, validator: Validator = Validator(),
        timeSource: any TimeSource, capacity: Int = 256, tape: TapeRecorder? = nil, metrics: CollectorMetrics = .system,
        logger: Logger
    ) {
        self.tape = tape
        (input, continuation) = AsyncStream.makeStream(of: Queued.self, bufferingPolicy: .unbounded)
        gate = QueueGate(capacity: capacity)
        self.state = state
        self.sink = sink
        self.validator = validator
        self.timeSource = timeSource
        self.logger = logger
        self.metrics = metrics
    }

    /// Queues a batch. Safe from any task; never blocks. For small, paced producers (health
    /// reports, polls); a producer that can outrun the core uses `send`.
    package func submit(_ batch: IngestBatch) {
        enqueue(Queued(batch: batch, waiter: nil))
    }

    private func enqueue(_ queued: Queued) {
        gate.added()
        if case .enqueued = continuation.yield(queued) {
            metrics.ingestQueue(gate.queued)
            return
        }
        gate.taken()  // the input has ended: nothing was queued
        release(queued.waiter)
    }

    /// Queues a batch once fewer than `capacity` batches wait, or fewer than `maxQueued` when
    /// given (back-pressure: a live stream's reader then stops reading its socket, and its buffer
    /// coalesces quotes meanwhile; the backfill keeps few of its large batches waiting), and
    /// when `storeRowsBelow` is given, once fewer rows than that wait for the store sink too
    /// (the store writes history slower than the pipeline takes it: without this the backfill's
    /// whole history would wait in memory for the writer).
    package func send(_ batch: IngestBatch, maxQueued: Int? = nil, storeRowsBelow: Int? = nil) async {
        if let storeRowsBelow { await sink?.waitForRoom(belowRows: storeRowsBelow) }
        await gate.waitForRoom(below: maxQueued)
        submit(batch)
    }

    /// Queues a batch as `send` does and returns once it was applied to the state (or the
    /// pipeline stopped, or the caller was cancelled). A live stream hands its values over one
    /// batch at a time this way, so while a batch is applied the next ones wait in the stream's
    /// buffer, where quotes coalesce (latest wins), instead of in this queue as small batches
    /// applied one by one: a quote waits for at most the batch before it, however fast the stream.
    package func sendAndWait(_ batch: IngestBatch) async {
        await gate.waitForRoom()
        let id = waiting.withLock { waiting in
            defer { waiting.next += 1 }
            return waiting.next
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (processed: CheckedContinuation<Void, Never>) in
                let stopped = waiting.withLock { waiting in
                    if !waiting.stopped { waiting.waiters[id] = processed }
                    return waiting.stopped
                }
                if stopped {
                    submit(batch)
                    processed.resume()
                } else {
                    enqueue(Queued(batch: batch, waiter: id))
                }
            }
        } onCancel: {
            release(id)
        }
    }

    /// Lets the caller waiting for batch `id` go (once).
    private func release(_ id: Int?) {
        guard let id else { return }
        waiting.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
    }

    /// Lets every waiting caller go, and every later one at once: the pipeline stopped or ends.
    private func releaseAll() {
        let waiters = waiting.withLock { waiting in
            waiting.stopped = true
            defer { waiting.waiters = [:] }
            return Array(waiting.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// A queued batch, and the `sendAndWait` caller waiting for it.
    private struct Queued: Sendable {
        var batch: IngestBatch
        var waiter: Int?
    }

    /// Batches queued and not yet processed.
    package var queuedBatches: Int { gate.queued }

    /// Ends the input: `run` processes what is queued, then returns.
    package func finish() {
        continuation.finish()
        gate.openForGood()
        releaseAll()
    }

    /// Processes batches until the input ends. On graceful shutdown it stops
    /// taking new input, drains the queue, and finishes the store sink so
    /// pending writes are flushed.
    package func run() async {
        var validator = self.validator
        await withGracefulShutdownHandler {
            for await queued in input {
                await process(queued.batch, with: &validator)
                gate.taken()
                metrics.ingestQueue(gate.queued)
                release(queued.waiter)
            }
        } onGracefulShutdown: { [continuation, gate] in
            continuation.finish()
            gate.openForGood()
        }
        gate.openForGood()
        releaseAll()
        sink?.finish()
        logger.debug("ingest pipeline stopped")
    }

    /// Validates one batch, applies it to state and queues it for storage.
    package func process(_ batch: IngestBatch, with validator: inout Validator) async {
        let now = timeSource.now()
        let result = validator.validate(batch.events, origin: batch.origin, path: batch.path, at: now)
        for anomaly in result.anomalies {
            logger.warning(
                "quarantined value",
                metadata: [
                    "rule": "\(anomaly.rule)", "symbol": "\(anomaly.symbol)", "source": "\(anomaly.source)",
                    "detail": "\(anomaly.message)"
                ])
        }
        metrics.ingested(received: batch.events, accepted: result.accepted, anomalies: result.anomalies)
        let outcome = await state.apply(accepted: result.accepted, anomalies: result.anomalies, health: batch.health)
        // The batch's values, the anomalies it derived and the transitions its facts caused: one write.
        OutcomeRecorder(sink: sink, logger: logger, metrics: metrics)
            .record(outcome, with: StoreBatch.from(accepted: result.accepted, anomalies: result.anomalies))
    }
}

extension StoreBatch {
    /// What is worth persisting from one validated batch: every bar, every quote (the write
    /// upserts only the newest per symbol and source, `newestQuotes`, so they are not sorted out
    /// here as well: a stream's batch holds one per symbol already), every anomaly.
    static func from(accepted: [MarketEvent], anomalies: [Anomaly]) -> StoreBatch {
        var bars: [Bar] = []
        var quotes: [Quote] = []
        quotes.reserveCapacity(accepted.quoteCount)
        for event in accepted {
            switch event {
            case .bar(let bar): bars.append(bar)
            case .quote(let quote): quotes.append(quote)
            case .trade: break
            }
        }
        return StoreBatch(quotes: quotes, bars: bars, anomalies: anomalies)
    }
}
