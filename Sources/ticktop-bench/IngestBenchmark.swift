import Collector
import Foundation
import Logging

/// Measures the hot path: quotes through validation and the state actor, in
/// batches, off the main actor. Three variants: calling the validator (version
/// 1 rules, then version 1 and 2) and the actor directly, and going through the
/// `IngestPipeline` service's stream with version 2 as the collector runs it.
enum IngestBenchmark {
    static func run(quotes count: Int, batchSize: Int = 1_000) async -> [BenchmarkResult] {
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "BRK.B", "BTC-USD", "EURUSD=X"]
            .map { try! Symbol($0) }
        let batches = makeBatches(count: count, batchSize: batchSize, symbols: symbols)
        let time = FixedClockTime(Timestamp(seconds: 1_772_463_600))

        func direct(_ validator: Validator) async -> Duration {
            await Task.detached {
                let state = MarketState(
                    watchlist: symbols, sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: time)
                var validator = validator
                let start = ContinuousClock.now
                for batch in batches {
                    let result = validator.validate(batch, origin: .live, at: time.now())
                    await state.apply(accepted: result.accepted, anomalies: result.anomalies)
                }
                let elapsed = ContinuousClock.now - start
                let snapshot = await state.snapshot()
                precondition(snapshot.symbols.allSatisfy { $0.selected != nil }, "benchmark quotes were not applied")
                precondition(snapshot.quarantinedCount == 0, "benchmark quotes must all be clean")
                return elapsed
            }.value
        }
        let directV1 = await direct(Validator())
        let directV2 = await direct(Validator(configuration: .defaults))

        let piped = await Task.detached {
            let state = MarketState(
                watchlist: symbols, sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: time)
            let pipeline = IngestPipeline(
                state: state, sink: nil, validator: Validator(configuration: .defaults), timeSource: time,
                logger: Logger(label: "bench"))
            let start = ContinuousClock.now
            for batch in batches { pipeline.submit(IngestBatch(events: batch)) }
            pipeline.finish()
            await pipeline.run()
            let elapsed = ContinuousClock.now - start
            let snapshot = await state.snapshot()
            precondition(snapshot.quarantinedCount == 0, "benchmark quotes must all be clean")
            return elapsed
        }.value

        return [
            BenchmarkResult(
                name: "ingest: validate + actor (direct)", count: count, seconds: directV1.secondsValue,
                note: "version 1 rules, batches of \(batchSize) quotes, 10 symbols, detached task"),
            BenchmarkResult(
                name: "ingest: validate v2 + actor (direct)", count: count, seconds: directV2.secondsValue,
                note: "version 1 and 2 rules (defaults), same quotes"),
            BenchmarkResult(
                name: "ingest: IngestPipeline stream", count: count, seconds: piped.secondsValue,
                note: "submit all batches, then drain through validation v2 and the actor")
        ]
    }

    /// Deterministic clean quotes with strictly increasing times per symbol.
    static func makeBatches(count: Int, batchSize: Int, symbols: [Symbol]) -> [[MarketEvent]] {
        let base = Timestamp(seconds: 1_772_463_600)
        var batches: [[MarketEvent]] = []
        batches.reserveCapacity(count / batchSize + 1)
        var current: [MarketEvent] = []
        current.reserveCapacity(batchSize)
        for i in 0..<count {
            let symbol = symbols[i % symbols.count]
            // A triangle wave per symbol, a cent per quote: varied prices, always valid (no jumps for v2 to flag).
            let phase = (i / symbols.count) % 1_994
            let mid = 100 + Double(phase < 997 ? phase : 1_994 - phase) / 100
            let time = base + .microseconds(Int64(i))
            current.append(
                .quote(
                    Quote(
                        symbol: symbol, source: .simulated, bid: mid - 0.01, bidSize: 100, ask: mid + 0.01, askSize: 200,
                        last: mid, exchangeTime: time, receivedAt: time)))
            if current.count == batchSize {
                batches.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

/// A constant wall clock for benchmarks.
struct FixedClockTime: TimeSource {
    let time: Timestamp
    init(_ time: Timestamp) { self.time = time }
    func now() -> Timestamp { time }
}
