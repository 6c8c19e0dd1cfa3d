import Collector
import CollectorTestSupport
import Foundation
import Testing

/// One row of a version 2 rule table: clean values that build the stream's
/// history, then the value under test and the rules it must trip (empty = clean).
struct StreamRuleCase: CustomTestStringConvertible, Sendable {
    let name: String
    var history: [MarketEvent] = []
    let probe: MarketEvent
    let expected: Set<String>
    var origin: IngestOrigin = .live
    var testDescription: String { name }
}

/// Builders for rule tables. Times are around `MarketFixtures.baseTime`,
/// Monday 2026-03-02 15:00Z (10:00 in New York, regular session).
enum StreamSeries {
    static let F = MarketFixtures.self
    static let t0 = MarketFixtures.baseTime

    /// `count` minute bars ending one minute before `end`, closes cycling
    /// through `closes` (so the window has a known median and MAD).
    static func minuteBars(
        _ symbol: String = "AAPL", count: Int = 60, closes: [Double] = [99.9, 100, 100.1], end: Timestamp = t0
    ) -> [MarketEvent] {
        (0..<count).map { i in
            let close = closes[i % closes.count]
            let start = end - .seconds(Int64(60 * (count - i)))
            return .bar(F.bar(symbol, start: start, open: close, high: close + 0.05, low: close - 0.05, close: close))
        }
    }

    /// A minute bar at `t0` (or `start`) closing at `close`.
    static func minuteBar(_ symbol: String = "AAPL", close: Double, volume: Double = 1_000, start: Timestamp = t0) -> MarketEvent
    {
        .bar(
            F.bar(
                symbol, start: start, open: close, high: close * 1.0005, low: close * 0.9995, close: close, volume: volume))
    }

    /// `count` daily bars on consecutive days before `t0`'s day, ending at
    /// `last`, with varied day-over-day moves of up to `volatility`.
    static func dailyBars(_ symbol: String = "AAPL", count: Int = 60, last: Double, volatility: Double = 0.012) -> [MarketEvent] {
        var closes = [last]
        for i in 1..<count { closes.insert(closes[0] / exp(volatility * sin(1.3 * Double(i) + 0.5)), at: 0) }
        return closes.enumerated().map { i, close in
            let start = t0.startOfUTCDay - .seconds(Int64(86_400 * (count - i)))
            return .bar(
                F.bar(symbol, timeframe: .oneDay, start: start, open: close, high: close * 1.01, low: close * 0.99, close: close))
        }
    }

    /// The daily bar of `t0`'s day closing at `close`.
    static func dailyBar(_ symbol: String = "AAPL", close: Double) -> MarketEvent {
        .bar(
            F.bar(
                symbol, timeframe: .oneDay, start: t0.startOfUTCDay, open: close, high: close * 1.01, low: close * 0.99,
                close: close))
    }

    /// `count` quotes one second apart ending before `t0`, mids cycling through `mids`.
    static func quotes(_ symbol: String = "AAPL", count: Int = 60, mids: [Double] = [99.99, 100, 100.01]) -> [MarketEvent] {
        (0..<count).map { i in
            quote(symbol, mid: mids[i % mids.count], at: t0 - .seconds(Int64(count - i)))
        }
    }

    static func quote(
        _ symbol: String = "AAPL", mid: Double, at time: Timestamp = t0, receivedAt: Timestamp? = nil,
        previousClose: Double? = nil
    ) -> MarketEvent {
        .quote(
            F.quote(
                symbol, bid: mid - 0.01, ask: mid + 0.01, last: nil, at: time, receivedAt: receivedAt,
                previousClose: previousClose))
    }
}
