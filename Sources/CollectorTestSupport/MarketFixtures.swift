import Collector

/// Builders for model values in tests: every field has a sensible default,
/// so a test names only what it is about.
package enum MarketFixtures {
    /// 2026-03-02T15:00:00Z, a Monday during the US session.
    package static let baseTime = Timestamp(seconds: 1_772_463_600)

    package static func symbol(_ text: String) -> Symbol {
        do { return try Symbol(text) } catch { fatalError("bad fixture symbol \(text): \(error)") }
    }

    package static func quote(
        _ symbol: String = "AAPL", source: SourceID = .simulated, bid: Double = 100, ask: Double = 100.02,
        bidSize: Double = 100, askSize: Double = 200, last: Double? = 100.01, at time: Timestamp = baseTime,
        receivedAt: Timestamp? = nil, previousClose: Double? = nil, dayVolume: Double? = nil
    ) -> Quote {
        Quote(
            symbol: Self.symbol(symbol), source: source, bid: bid, bidSize: bidSize, ask: ask, askSize: askSize,
            last: last, exchangeTime: time, receivedAt: receivedAt ?? time, previousClose: previousClose,
            dayVolume: dayVolume)
    }

    package static func bar(
        _ symbol: String = "AAPL", source: SourceID = .simulated, timeframe: Timeframe = .oneMinute,
        start: Timestamp = baseTime, open: Double = 100, high: Double = 101, low: Double = 99, close: Double = 100.5,
        volume: Double = 1_000, vwap: Double? = nil, tradeCount: Int? = nil
    ) -> Bar {
        Bar(
            symbol: Self.symbol(symbol), source: source, timeframe: timeframe, start: start, open: open, high: high,
            low: low, close: close, volume: volume, vwap: vwap, tradeCount: tradeCount)
    }

    package static func trade(
        _ symbol: String = "AAPL", source: SourceID = .simulated, price: Double = 100, size: Double = 10,
        at time: Timestamp = baseTime
    ) -> Trade {
        Trade(symbol: Self.symbol(symbol), source: source, price: price, size: size, exchangeTime: time, receivedAt: time)
    }

    /// `count` consecutive minute bars from `start`, gently rising, all valid.
    package static func minuteBars(
        _ symbol: String = "AAPL", source: SourceID = .simulated, count: Int, start: Timestamp = baseTime
    ) -> [Bar] {
        (0..<count).map { i in
            let base = 100 + Double(i) * 0.01
            return bar(
                symbol, source: source, start: start + .seconds(Int64(i) * 60), open: base, high: base + 0.05,
                low: base - 0.05, close: base + 0.01, volume: Double(1_000 + i))
        }
    }
}
