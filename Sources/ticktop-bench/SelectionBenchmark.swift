import Collector
import Foundation

/// Selection and consensus through the state actor: 100 symbols quoted by
/// three sources, validated first, in batches, off the main actor.
enum SelectionBenchmark {
    static func run(quotes count: Int, symbols symbolCount: Int = 100, batchSize: Int = 1_000) async -> [BenchmarkResult] {
        let symbols = (0..<symbolCount).map { try! Symbol("S\(String($0, radix: 26).uppercased())") }
        let sources: [SourceID] = ["alpha", "beta", "gamma"]
        let base = Timestamp(seconds: 1_772_463_600)
        var batches: [[MarketEvent]] = []
        var current: [MarketEvent] = []
        for i in 0..<count {
            let symbol = symbols[i % symbols.count]
            let source = sources[(i / symbols.count) % sources.count]
            // Sources agree within a few basis points; every 500th quote is 3% off.
            let mid = 100 + Double(i % 97) / 100 + (i % 500 == 499 ? 3 : 0)
            let time = base + .microseconds(Int64(i))
            current.append(
                .quote(
                    Quote(
                        symbol: symbol, source: source, bid: mid - 0.01, bidSize: 100, ask: mid + 0.01, askSize: 100,
                        last: mid, exchangeTime: time, receivedAt: time)))
            if current.count == batchSize {
                batches.append(current)
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { batches.append(current) }
        let clock = FixedClockTime(base + .seconds(1))

        let (elapsed, disagreements) = await Task.detached {
            let state = MarketState(
                watchlist: symbols,
                sources: sources.enumerated().map { .init(id: $0.element, kind: "bench", priority: $0.offset) },
                settings: .init(staleAfter: .seconds(3_600)), timeSource: clock)
            var validator = Validator()
            var disagreements = 0
            let start = ContinuousClock.now
            for batch in batches {
                let result = validator.validate(batch, origin: .live, at: clock.now())
                disagreements += await state.apply(accepted: result.accepted, anomalies: result.anomalies).anomalies.count
            }
            return (ContinuousClock.now - start, disagreements)
        }.value
        return [
            BenchmarkResult(
                name: "selection+consensus", count: count, seconds: elapsed.secondsValue,
                note:
                    "\(symbolCount) symbols x 3 sources, validated, batches of \(batchSize); \(disagreements) disagreements began"
            )
        ]
    }
}
