import Collector

/// Deterministic values for store tests.
enum StoreSamples {
    static let aapl = try! Symbol("AAPL")
    static let msft = try! Symbol("MSFT")
    static let alpaca = SourceID("alpaca")
    static let yahoo = SourceID("yahoo")
    /// 2026-01-01T00:00:00Z.
    static let origin = Timestamp(seconds: 1_767_225_600)
    /// Every instant a test stores.
    static let everything = Timestamp(nanoseconds: 0)...Timestamp(nanoseconds: .max)

    /// The `minute`-th one-minute bar after `origin`, with prices derived from it.
    static func bar(
        _ minute: Int, symbol: Symbol = aapl, source: SourceID = alpaca, timeframe: Timeframe = .oneMinute,
        close: Double? = nil
    ) -> Bar {
        let base = 100 + Double(minute) / 4
        return Bar(
            symbol: symbol, source: source, timeframe: timeframe, start: origin + .seconds(60 * minute),
            open: base, high: base + 1, low: base - 1, close: close ?? base + 0.5, volume: 1000 + Double(minute),
            vwap: minute.isMultiple(of: 2) ? base + 0.25 : nil, tradeCount: minute.isMultiple(of: 3) ? nil : minute)
    }

    static func quote(
        symbol: Symbol = aapl, source: SourceID = alpaca, bid: Double, receivedAt seconds: Int64, last: Double? = nil
    ) -> Quote {
        Quote(
            symbol: symbol, source: source, bid: bid, bidSize: 3, ask: bid + 0.02, askSize: 4, last: last,
            exchangeTime: origin + .seconds(seconds - 1), receivedAt: origin + .seconds(seconds),
            previousClose: last.map { $0 - 1 }, dayVolume: last.map { _ in 12_345 })
    }

    static func anomaly(_ rule: String, detectedAt seconds: Int64, subject: MarketEvent) -> Anomaly {
        Anomaly(
            rule: rule, severity: .warning, fields: [.init("high", 99.5), .init("spread", -.infinity)],
            message: "\(rule) fired", detectedAt: origin + .seconds(seconds), quarantined: seconds.isMultiple(of: 2),
            subject: subject)
    }
}
