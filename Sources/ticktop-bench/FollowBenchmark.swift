import Collector
import Foundation
import Histogram
import Logging
import Synchronization

/// Measures how late a quote reaches the terminals following the store (`ticktop --store postgres`):
/// a collector's ingest (`IngestPipeline` into `MarketState` and the `StoreWriter` on PostgreSQL)
/// takes quotes at a fixed rate; each viewer (`StoreViewer`, its own connection, `LISTEN`) reads the
/// rows each write announces by `NOTIFY`; the latency of a quote is from its submission to the first
/// snapshot of a viewer showing it. A quote replaced before a write (the store keeps the latest per
/// symbol and source) is never shown and not counted. Needs a server, as `ticktop-bench postgres`.
enum FollowBenchmark {
    static let symbols = (0..<10).map { try! Symbol("SYM\($0)") }
    static let source = SourceID("sim")

    static func run(quotes: Int, viewerCounts: [Int], rate: Int, flushInterval: Duration) async throws -> [BenchmarkResult] {
        let environment = ProcessInfo.processInfo.environment
        guard let text = PostgresStoreBenchmark.variables.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty })
        else {
            return [
                BenchmarkResult(
                    name: "follow", count: 0, seconds: 0,
                    note: "skipped: set \(PostgresStoreBenchmark.variables[0]) (or run eval \"$(.ci/postgres start)\")")
            ]
        }
        let url = try PostgresURL(text)
        var results: [BenchmarkResult] = []
        for viewers in viewerCounts {
            results.append(try await measure(url: url, quotes: quotes, viewers: viewers, rate: rate, flushInterval: flushInterval))
        }
        return results
    }

    /// Latencies recorded by the viewers' watchers, in microseconds.
    final class Recorder: Sendable {
        private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three))
        /// When each quote was submitted, by its number.
        private let sent = Mutex<[Int: ContinuousClock.Instant]>([:])

        func submitted(_ number: Int, at instant: ContinuousClock.Instant) { sent.withLock { $0[number] = instant } }

        func shown(_ number: Int, at instant: ContinuousClock.Instant) {
            guard let start = sent.withLock({ $0[number] }) else { return }
            let micros = (instant - start) / .microseconds(1)
            histogram.withLock { _ = $0.record(UInt64(max(micros, 0))) }
        }

        var figures: (count: UInt64, p50: Double, p99: Double, max: Double) {
            histogram.withLock {
                ($0.totalCount, Double($0.valueAtPercentile(50)) / 1000, Double($0.valueAtPercentile(99)) / 1000, Double($0.max) / 1000)
            }
        }
    }

    private static func measure(url: PostgresURL, quotes: Int, viewers: Int, rate: Int, flushInterval: Duration) async throws
        -> BenchmarkResult
    {
        let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let logger = Logger(label: "bench")
        let time = SystemTimeSource()
        let clock = ContinuousClock()
        let store = try PostgresStore(url: url, tls: .disable, schema: schema)
        try await store.prepare()
        let entries = [MarketState.SourceEntry(id: source, kind: "simulated", priority: 1)]
        let state = MarketState(watchlist: symbols, sources: entries, timeSource: time)
        let writer = StoreWriter(
            store: store, state: state, batchSize: 256, flushInterval: flushInterval, clock: clock, timeSource: time,
            spillFor: nil, logger: logger)
        let pipeline = IngestPipeline(state: state, sink: writer, timeSource: time, logger: logger)
        let recorder = Recorder()

        var following: [StoreViewer] = []
        for _ in 0..<viewers {
            let viewerStore = try PostgresStore(url: url, tls: .disable, schema: schema)
            following.append(
                StoreViewer(
                    store: viewerStore, state: MarketState(watchlist: symbols, sources: entries, timeSource: time),
                    clock: clock, timeSource: time, logger: logger))
        }
        let followers = following.map { viewer in Task { try? await viewer.follower.run() } }
        for viewer in following {
            while viewer.follower.status.caughtUpAt == nil { try await Task.sleep(for: .milliseconds(5)) }
        }
        let watchers = following.map { viewer in
            Task {
                var seen: [Symbol: Int] = [:]
                for await _ in await viewer.state.generations() {
                    let snapshot = await viewer.state.snapshot()
                    let now = ContinuousClock.now
                    for symbol in snapshot.symbols {
                        guard let size = symbol.selected?.bidSize else { continue }
                        let number = Int(size)
                        if number > seen[symbol.symbol, default: -1] {
                            seen[symbol.symbol] = number
                            recorder.shown(number, at: now)
                        }
                    }
                }
            }
        }
        let collecting = Task { await writer.run() }
        let ingesting = Task { await pipeline.run() }

        // The producer: one quote every 1/rate s, the symbols in turn, prices steady (validation passes them).
        let interval = Duration.seconds(1) / rate
        let start = clock.now
        for number in 0..<quotes {
            try await clock.sleep(until: start + interval * number)
            let now = time.now()
            let symbol = symbols[number % symbols.count]
            let bid = 100 + Double(number % 7) / 100
            let quote = Quote(
                symbol: symbol, source: source, bid: bid, bidSize: Double(number), ask: bid + 0.02, askSize: 1, last: bid + 0.01,
                exchangeTime: now, receivedAt: now, previousClose: 100, dayVolume: nil)
            recorder.submitted(number, at: clock.now)
            pipeline.submit(IngestBatch(events: [.quote(quote)]))
        }
        let elapsed = clock.now - start
        // The tail: the last writes reach the viewers.
        try await Task.sleep(for: flushInterval * 4 + .milliseconds(500))
        pipeline.finish()
        await ingesting.value
        await collecting.value
        for task in watchers { task.cancel() }
        for task in followers { task.cancel() }
        for task in followers { await task.value }
        for viewer in following { await (viewer.store as? PostgresStore)?.close() }
        try await store.dropSchema()

        let figures = recorder.figures
        let note = String(
            format: "ingest to viewer snapshot over NOTIFY: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d shown of %d quotes per viewer "
                + "x %d viewers; %d quotes/s over %d symbols; flush_interval %@)",
            figures.p50, figures.p99, figures.max, Int(figures.count) / max(viewers, 1), quotes, viewers, rate, symbols.count,
            DurationParser.format(flushInterval))
        return BenchmarkResult(
            name: "follow: \(viewers) viewer\(viewers == 1 ? "" : "s")", count: Int(figures.count), seconds: elapsed.secondsValue,
            note: note)
    }
}
