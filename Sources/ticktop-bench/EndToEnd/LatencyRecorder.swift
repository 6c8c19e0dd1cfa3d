import Collector
import Foundation
import Histogram
import Synchronization

/// Latencies in microseconds (hdrhistogram, 3 significant digits), recorded from any task.
final class LatencyRecorder: Sendable {
    private let histogram = Mutex(Histogram<UInt64>(numberOfSignificantValueDigits: .three))

    /// Records, for each quote, the wall-clock time from its receipt (`receivedAt`, stamped when
    /// the stream session read its frame) until `now`.
    func record(_ quotes: [Quote], at now: Timestamp) {
        guard !quotes.isEmpty else { return }
        histogram.withLock { histogram in
            for quote in quotes {
                let micros = max(0, (now.nanoseconds - quote.receivedAt.nanoseconds) / 1_000)
                _ = histogram.record(UInt64(micros))
            }
        }
    }

    /// p50, p99 and max in milliseconds, and how many values.
    var summary: Summary {
        histogram.withLock { h in
            Summary(
                count: Int(h.totalCount), p50: Double(h.valueAtPercentile(50)) / 1_000,
                p99: Double(h.valueAtPercentile(99)) / 1_000, max: Double(h.max) / 1_000)
        }
    }

    struct Summary {
        var count: Int
        var p50: Double
        var p99: Double
        var max: Double

        var text: String {
            count == 0
                ? "no values"
                : String(format: "p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d values)", p50, p99, max, count)
        }
    }
}

/// Stands between the ingest pipeline and the store writer: the pipeline submits a batch right
/// after `MarketState.apply` returned, so its quotes are in the state's snapshot from then on.
/// Records receipt to snapshot for each, then hands the batch to the writer.
struct SnapshotTimingSink: StoreSink {
    let writer: StoreWriter
    let latency: LatencyRecorder

    func submit(_ batch: StoreBatch) {
        latency.record(batch.quotes, at: SystemTimeSource().now())
        writer.submit(batch)
    }

    func finish() { writer.finish() }
}

/// The SQLite store, recording receipt to commit for each quote of a write once its transaction
/// committed; everything else goes straight through.
struct CommitTimingStore: MarketStore {
    let store: SQLiteStore
    let latency: LatencyRecorder

    func write(_ batch: StoreBatch) async throws -> StoreWriteResult {
        let result = try await store.write(batch)
        latency.record(batch.quotes, at: SystemTimeSource().now())
        return result
    }

    func bars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>) async throws
        -> [Bar]
    { try await store.bars(symbol: symbol, timeframe: timeframe, source: source, in: range) }

    func barStarts(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws -> [Timestamp]
    { try await store.barStarts(symbol: symbol, timeframe: timeframe, source: source, in: range) }

    func recentBars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, limit: Int) async throws -> [Bar] {
        try await store.recentBars(symbol: symbol, timeframe: timeframe, source: source, limit: limit)
    }

    func latestBarStart(symbol: Symbol, timeframe: Timeframe, source: SourceID) async throws -> Timestamp? {
        try await store.latestBarStart(symbol: symbol, timeframe: timeframe, source: source)
    }

    func barCount(symbol: Symbol, timeframe: Timeframe) async throws -> Int {
        try await store.barCount(symbol: symbol, timeframe: timeframe)
    }

    func latestQuotes() async throws -> [Quote] { try await store.latestQuotes() }
    func recentAnomalies(limit: Int) async throws -> [Anomaly] { try await store.recentAnomalies(limit: limit) }
    func recentAlerts(limit: Int) async throws -> [Alert] { try await store.recentAlerts(limit: limit) }
    func recentTransitions(limit: Int) async throws -> [HealthTransition] { try await store.recentTransitions(limit: limit) }

    func barRevisions(symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [BarRevision] {
        try await store.barRevisions(symbol: symbol, timeframe: timeframe, in: range)
    }
}
