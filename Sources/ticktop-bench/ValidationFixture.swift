import Collector
import CollectorTestSupport
import Foundation

/// Seeded synthetic bars for the validation benchmark: per symbol a daily and
/// a minute series (mean-reverting log prices whose moves are normal but cut
/// at 3 sigma, so clean values never look like outliers), in batches of 1000
/// with the streams interleaved, and one fault per 1000 bars, each placed so
/// exactly one rule must catch it.
struct ValidationFixture {
    var daily: [[MarketEvent]]
    var minute: [[MarketEvent]]
    /// Every faulty value and the rule that must report it.
    var faults: [MarketEvent: String]
    var symbolCount: Int

    enum Fault: CaseIterable {
        case spikeUp, spikeDown, unitUp, unitDown, split, ohlc, negativeVolume, zeroVolume, outsideSession
        case conflict, overlap, backwards

        var rule: String {
            switch self {
            case .spikeUp, .spikeDown: "price-spike"
            case .unitUp, .unitDown: "unit-error"
            case .split: "split-like"
            case .ohlc: "ohlc-inconsistent"
            case .negativeVolume: "negative-volume"
            case .zeroVolume: "zero-volume"
            case .outsideSession: "bar-outside-session"
            case .conflict: "bar-conflict"
            case .overlap: "bar-overlap"
            case .backwards: "time-backwards"
            }
        }

        /// Faults added after the previous bar rather than replacing the next one.
        var isInserted: Bool { self == .conflict || self == .overlap || self == .backwards }

        static let daily: [Fault] = [
            .spikeUp, .spikeDown, .unitUp, .unitDown, .split, .ohlc, .negativeVolume, .conflict, .overlap, .backwards
        ]
        static let minute: [Fault] = [
            .spikeUp, .spikeDown, .unitUp, .unitDown, .ohlc, .negativeVolume, .zeroVolume, .outsideSession, .conflict, .overlap,
            .backwards
        ]
    }

    /// One series' parameters: mean reversion and step of the log price, wick size, bar times.
    struct Series {
        var timeframe: Timeframe
        var reversion: Double
        var step: Double
        var wick: Double
        var spike: (up: Double, down: Double)
        var faults: [Fault]
        var start: (Int) -> Timestamp
    }

    static let symbolCount = 500
    static let batchSize = 1_000

    static func make(count: Int, seed: UInt64) -> ValidationFixture {
        var random = SplitMix64(seed: seed)
        let symbols = (0..<symbolCount).map { try! Symbol("B\(String($0, radix: 36).uppercased())") }
        let bases = symbols.map { _ in 20 + 480 * random.uniform() }
        let dailyRounds = max(100, count / 10 / symbolCount)
        let minuteRounds = max(100, (count - dailyRounds * symbolCount) / symbolCount)
        // Daily bars on weekdays ending before Monday 2026-01-12, at New York midnight (05:00Z in winter).
        let firstDay = Timestamp(seconds: 1_768_194_000) - .seconds(Int64(7 * 86_400 * ((dailyRounds + 4) / 5)))
        let daily = Series(
            timeframe: .oneDay, reversion: 0.1, step: 0.005, wick: 0.002, spike: (2.5, 0.4), faults: Fault.daily,
            start: { firstDay + .seconds(Int64(86_400 * (7 * ($0 / 5) + $0 % 5))) })
        // Minute bars in the regular session (14:30Z-21:00Z in winter), weekdays from Tuesday 2026-01-20.
        let minute = Series(
            timeframe: .oneMinute, reversion: 0.05, step: 0.0005, wick: 0.0003, spike: (1.25, 0.8), faults: Fault.minute,
            start: { index in
                let day = index / 390
                let weekday = (1 + day) % 5
                let week = (1 + day) / 5
                let date = Timestamp(seconds: 1_768_780_800) + .seconds(Int64(86_400 * (7 * week + weekday)))
                return date + .seconds(Int64(14 * 3_600 + 1_800 + 60 * (index % 390)))
            })
        var faults: [MarketEvent: String] = [:]
        let dailyBatches = generate(daily, rounds: dailyRounds, symbols: symbols, bases: bases, random: &random, faults: &faults)
        let minuteBatches = generate(
            minute, rounds: minuteRounds, symbols: symbols, bases: bases, random: &random, faults: &faults)
        return ValidationFixture(daily: dailyBatches, minute: minuteBatches, faults: faults, symbolCount: symbolCount)
    }

    /// The series' bars, round-robin over symbols, with `rounds × symbols / 1000` faults.
    private static func generate(
        _ series: Series, rounds: Int, symbols: [Symbol], bases: [Double], random: inout SplitMix64,
        faults: inout [MarketEvent: String]
    ) -> [[MarketEvent]] {
        var planned: [Int: Set<Int>] = [:]  // symbol -> fault rounds
        var placed = 0
        while placed < rounds * symbols.count / 1_000 {
            let symbol = random.below(symbols.count)
            let round = 60 + random.below(rounds - 62)
            // Faults in one stream stay 10 bars apart, so a run of outliers never looks like a level shift.
            guard planned[symbol, default: []].allSatisfy({ abs($0 - round) >= 10 }) else { continue }
            planned[symbol, default: []].insert(round)
            placed += 1
        }
        var states = bases.map { (deviation: 0.0, close: ($0 * 100).rounded() / 100, index: 0, previous: Bar?.none) }
        var events: [MarketEvent] = []
        events.reserveCapacity(rounds * symbols.count)
        for round in 0..<rounds {
            for (s, symbol) in symbols.enumerated() {
                var state = states[s]
                func clean() -> Bar {
                    // Moves are normal but cut at 3 sigma: clean data must never reach a spike threshold by chance.
                    let move = max(-3, min(3, random.normal()))
                    state.deviation = state.deviation * (1 - series.reversion) + series.step * move
                    let close = (bases[s] * exp(state.deviation) * 100).rounded() / 100
                    let open = state.close
                    let high = (max(open, close) * (1 + series.wick * abs(random.normal())) * 100).rounded(.up) / 100
                    let low = (min(open, close) * (1 - series.wick * abs(random.normal())) * 100).rounded(.down) / 100
                    let volume = (1_000 + 99_000 * random.uniform()).rounded()
                    let bar = Bar(
                        symbol: symbol, source: "bench", timeframe: series.timeframe, start: series.start(state.index),
                        open: open, high: high, low: low, close: close, volume: volume)
                    state.close = close
                    state.index += 1
                    return bar
                }
                if planned[s]?.contains(round) == true, let previous = state.previous {
                    let fault = series.faults[random.below(series.faults.count)]
                    var bar = fault.isInserted ? previous : clean()
                    apply(fault, to: &bar, series: series)
                    faults[.bar(bar)] = fault.rule
                    events.append(.bar(bar))
                } else {
                    let bar = clean()
                    state.previous = bar
                    events.append(.bar(bar))
                }
                states[s] = state
            }
        }
        return stride(from: 0, to: events.count, by: batchSize).map { Array(events[$0..<min($0 + batchSize, events.count)]) }
    }

    private static func apply(_ fault: Fault, to bar: inout Bar, series: Series) {
        func scale(_ factor: Double) {
            bar.open *= factor
            bar.high *= factor
            bar.low *= factor
            bar.close *= factor
        }
        let isDaily = series.timeframe == .oneDay
        switch fault {
        case .spikeUp: scale(series.spike.up)
        case .spikeDown: scale(series.spike.down)
        case .unitUp: scale(100)
        case .unitDown: scale(0.01)
        case .split: scale(0.5)
        case .ohlc: (bar.high, bar.low) = (bar.low - 0.01, bar.high)
        case .negativeVolume: bar.volume = -bar.volume
        case .zeroVolume: bar.volume = 0
        // 22:00 New York the same day (03:00Z next day in winter): the market is closed.
        case .outsideSession: bar.start = bar.start.startOfUTCDay + .seconds(27 * 3_600)
        case .conflict:
            bar.close = bar.low
            bar.volume += 1
        case .overlap: bar.start = bar.start + (isDaily ? .seconds(6 * 3_600) : .seconds(30))
        case .backwards: bar.start = bar.start - (isDaily ? .seconds(2 * 86_400) : .seconds(600))
        }
    }
}
