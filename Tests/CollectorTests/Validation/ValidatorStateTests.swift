import Collector
import CollectorTestSupport
import Foundation
import Testing

private typealias S = StreamSeries
private let F = MarketFixtures.self
private let t0 = MarketFixtures.baseTime
private let aapl = MarketFixtures.symbol("AAPL")

@Suite("Validation v2: state, messages, level shifts")
struct ValidatorStateTests {
    /// Two hours of the simulated market's AAPL minute bars, to 10:00 New York.
    static func realisticBars() -> [Bar] {
        let market = SimulatedMarket(seed: 42, symbols: [aapl])
        return market.historyBars(for: aapl, timeframe: .oneMinute, in: (t0 - .seconds(7_200))...t0)
    }

    static func scaled(_ bar: Bar, by factor: Double) -> Bar {
        var bar = bar
        (bar.open, bar.high, bar.low, bar.close) = (bar.open * factor, bar.high * factor, bar.low * factor, bar.close * factor)
        return bar
    }

    @Test func spikeAndUnitErrorAreQuarantinedWhileNeighboursPass() throws {
        var bars = Self.realisticBars()
        try #require(bars.count == 120)
        bars[70] = Self.scaled(bars[70], by: 1.05)
        bars[95] = Self.scaled(bars[95], by: 100)
        var validator = Validator(configuration: .defaults)
        let result = validator.validate(bars.map(MarketEvent.bar), origin: .live, at: t0)
        #expect(result.anomalies.map(\.rule) == ["price-spike", "unit-error"])
        #expect(result.anomalies.map(\.subject) == [.bar(bars[70]), .bar(bars[95])])
        #expect(
            result.accepted == bars.enumerated().filter { $0.offset != 70 && $0.offset != 95 }.map { .bar($0.element) },
            "every good neighbour passes, including the bars right after each fault")
        let spike = try #require(result.anomalies.first)
        #expect(spike.fields.map(\.name) == ["close", "previous", "median", "move", "mad", "score"])
        #expect(spike.fields[1].value == bars[69].close)
        #expect(spike.fields[5].value > 8)
        #expect(
            spike.message.hasPrefix("close \(String(format: "%.2f", bars[70].close)) moved +5.")
                && spike.message.hasSuffix("spike"))
    }

    /// Each value's stream is found by its key wherever it is in the batch: a batch in another
    /// order than the last (whose slots are tried first) never lends one symbol's history to another.
    @Test func streamsFollowTheirValuesWhateverTheOrder() throws {
        var validator = Validator(configuration: .defaults)
        let prices: [String: Double] = ["AAPL": 100, "MSFT": 400, "NVDA": 900]
        let orders = [["AAPL", "MSFT"], ["MSFT", "AAPL"], ["AAPL", "MSFT", "NVDA"], ["NVDA", "AAPL"], ["AAPL", "NVDA", "MSFT"]]
        for (n, order) in orders.enumerated() {
            let time = t0 + .seconds(n + 1)
            let batch = order.map { name in
                let price = prices[name]!
                return MarketEvent.quote(F.quote(name, bid: price - 0.01, ask: price + 0.01, last: price, at: time))
            }
            let result = validator.validate(batch, origin: .live, at: time)
            #expect(result.anomalies.isEmpty, "batch \(n): \(result.anomalies.map(\.message))")
        }
        for (name, price) in prices {
            let history = try #require(validator.history(of: F.symbol(name), source: .simulated, kind: .quote))
            let count = orders.filter { $0.contains(name) }.count
            #expect(history.window.prices.sorted == [Double](repeating: price, count: count), "\(name)")
        }
    }

    @Test func unitErrorMessageExplains() throws {
        var validator = Validator(configuration: .defaults)
        _ = validator.validate(S.minuteBars(closes: [189.42]), origin: .live, at: t0)
        let result = validator.validate([S.minuteBar(close: 18_942)], origin: .live, at: t0)
        let anomaly = try #require(result.anomalies.first)
        #expect(anomaly.message == "close 18942.00 is 100.0x the rolling median 189.42: unit error")
        #expect(anomaly.fields.map(\.name) == ["close", "median", "ratio", "factor"])
    }

    @Test func spikeStaysOutOfTheWindow() throws {
        var validator = Validator(configuration: .defaults)
        _ = validator.validate(S.minuteBars(closes: [100]), origin: .live, at: t0)
        _ = validator.validate([S.minuteBar(close: 150)], origin: .live, at: t0)
        let history = try #require(validator.history(of: aapl, source: .simulated, kind: .bar, timeframe: .oneMinute))
        #expect(history.window.prices.sorted.allSatisfy { $0 == 100 })
        #expect(history.pendingShift == [150])
        #expect(history.previousTime == t0 - .seconds(60))
    }

    @Test func aRealLevelShiftIsAcceptedAfterThreeBars() {
        var validator = Validator(configuration: .defaults)
        _ = validator.validate(S.minuteBars(closes: [100]), origin: .live, at: t0)
        let moved = (0..<6).map { S.minuteBar(close: 110 + Double($0) * 0.01, start: t0 + .seconds(Int64(60 * $0))) }
        let result = validator.validate(moved, origin: .live, at: t0)
        #expect(result.anomalies.map(\.rule) == ["price-spike", "price-spike", "price-spike"])
        #expect(result.accepted == Array(moved.suffix(3)))
    }

    @Test func aRunOfUnitErrorsIsNeverAccepted() {
        var validator = Validator(configuration: .defaults)
        _ = validator.validate(S.minuteBars(closes: [100]), origin: .live, at: t0)
        let cents = (0..<10).map { S.minuteBar(close: 10_000, start: t0 + .seconds(Int64(60 * $0))) }
        let result = validator.validate(cents, origin: .live, at: t0)
        #expect(result.anomalies.count == 10 && result.anomalies.allSatisfy { $0.rule == "unit-error" })
        #expect(result.accepted.isEmpty)
    }

    @Test func alternatingOutliersAreNoLevelShift() {
        var validator = Validator(configuration: .defaults)
        _ = validator.validate(S.minuteBars(closes: [100]), origin: .live, at: t0)
        let wild = [120.0, 80, 120, 80, 120].enumerated().map {
            S.minuteBar(close: $0.element, start: t0 + .seconds(Int64(60 * $0.offset)))
        }
        let result = validator.validate(wild, origin: .live, at: t0)
        #expect(result.anomalies.count == 5 && result.accepted.isEmpty)
    }

    @Test func stateIsBoundedPerStreamAndInTotal() throws {
        var config = ValidationConfiguration.defaults
        config.maxStreams = 100
        config.spikeWindow = 20
        var validator = Validator(configuration: config)
        let symbols = (0..<1_000).map { F.symbol("S\(String($0, radix: 36).uppercased())") }
        for (i, symbol) in symbols.enumerated() {
            let bar = Bar(
                symbol: symbol, source: .simulated, timeframe: .oneMinute, start: t0 + .seconds(Int64(60 * i)),
                open: 100, high: 101, low: 99, close: 100, volume: 1)
            _ = validator.validate([.bar(bar), .quote(F.quote(symbol.rawValue, at: t0))], origin: .live, at: t0)
            #expect(validator.trackedStreamCount <= 100)
            #expect(validator.trackedSymbolCount <= 100)
        }
        _ = validator.validate(S.minuteBars(count: 500), origin: .live, at: t0)
        let history = try #require(validator.history(of: aapl, source: .simulated, kind: .bar, timeframe: .oneMinute))
        #expect(history.window.count == 20 && history.window.capacity == 20)
        // The most recently used streams are the ones kept.
        #expect(validator.history(of: symbols[999], source: .simulated, kind: .bar, timeframe: .oneMinute) != nil)
        #expect(validator.history(of: symbols[0], source: .simulated, kind: .bar, timeframe: .oneMinute) == nil)
    }

    @Test func aroundTheClockSourcesHaveNoClosedSession() {
        let sunday = t0 - .seconds(86_400)
        let bar = S.minuteBar(close: 100, volume: 0, start: sunday)
        var exempt = Validator(configuration: .defaults, aroundTheClock: [.simulated])
        // Always open: the session rule never fires, the zero-volume rule does.
        #expect(exempt.validate([bar], origin: .live, at: t0).anomalies.map(\.rule) == ["zero-volume"])
        var strict = Validator(configuration: .defaults)
        #expect(strict.validate([bar], origin: .live, at: t0).anomalies.map(\.rule) == ["bar-outside-session"])
    }

    @Test func disabledRulesDoNotRun() {
        var config = ValidationConfiguration.defaults
        config.disabled = ["unit-error", "zero-volume"]
        var validator = Validator(configuration: config)
        _ = validator.validate(S.minuteBars(), origin: .live, at: t0)
        let result = validator.validate([S.minuteBar(close: 10_000, volume: 0)], origin: .live, at: t0)
        #expect(result.anomalies.map(\.rule) == ["price-spike"], "with unit-error off, 100x is a spike")
    }

    @Test func quoteRangeFollowsTodaysQuotesAndDailyBars() throws {
        var validator = Validator(configuration: .defaults)
        _ = validator.validate(S.quotes(count: 3, mids: [100, 101, 99]), origin: .live, at: t0)
        let range = try #require(validator.dayRange(of: aapl))
        #expect(range.latest?.low == 99 && range.latest?.high == 101)
        #expect(range.reference(for: DayRange.tradingDay(of: S.quote(mid: 1))).map { [$0.low, $0.high] } == [99, 101])
    }
}
