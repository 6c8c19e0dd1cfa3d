import Collector
import CollectorTestSupport
import Testing

private typealias S = StreamSeries
private let F = MarketFixtures.self
private let t0 = MarketFixtures.baseTime
/// Sunday 2026-03-01 15:00Z and Saturday 2026-02-28 15:00Z: US markets closed.
private let sunday = t0 - .seconds(86_400)
private let saturday = t0 - .seconds(2 * 86_400)
private let previousBar = S.minuteBar(close: 100, start: t0 - .seconds(60))
private let fridayRange = MarketEvent.bar(
    F.bar(
        timeframe: .oneDay, start: t0.startOfUTCDay - .seconds(3 * 86_400 - 5 * 3_600), open: 100, high: 105, low: 95, close: 100)
)

private func moved(_ event: MarketEvent, by offset: Duration) -> MarketEvent {
    guard case .bar(var bar) = event else { return event }
    bar.start = bar.start + offset
    return .bar(bar)
}

private let spikeCases: [StreamRuleCase] = [
    .init(name: "close inside the band passes", history: S.minuteBars(), probe: S.minuteBar(close: 101), expected: []),
    .init(
        name: "close far outside is a spike", history: S.minuteBars(), probe: S.minuteBar(close: 102), expected: ["price-spike"]),
    .init(name: "spike below", history: S.minuteBars(), probe: S.minuteBar(close: 97), expected: ["price-spike"]),
    .init(
        name: "flat series: a tick passes (MAD floor)", history: S.minuteBars(closes: [100]), probe: S.minuteBar(close: 100.01),
        expected: []),
    .init(
        name: "flat series: +1.19% scores 7.98 and passes", history: S.minuteBars(closes: [100]),
        probe: S.minuteBar(close: 101.19), expected: []),
    .init(
        name: "flat series: +1.20% scores 8.05, a spike", history: S.minuteBars(closes: [100]), probe: S.minuteBar(close: 101.20),
        expected: ["price-spike"]),
    .init(
        name: "flat series: -1.17% scores 7.94 and passes", history: S.minuteBars(closes: [100]),
        probe: S.minuteBar(close: 98.83), expected: []),
    .init(
        name: "flat series: -1.18% scores 8.01, a spike", history: S.minuteBars(closes: [100]), probe: S.minuteBar(close: 98.82),
        expected: ["price-spike"]),
    .init(
        name: "after an hour's gap a minute series may move more", history: S.minuteBars(closes: [100]),
        probe: S.minuteBar(close: 105, start: t0 + .seconds(3_600)), expected: []),
    .init(
        name: "but not 10x", history: S.minuteBars(closes: [100]),
        probe: S.minuteBar(close: 1_000, start: t0 + .seconds(3_600)), expected: ["price-spike"]),
    .init(
        name: "warm-up: 49 values are too few to judge a spike", history: S.minuteBars(count: 49), probe: S.minuteBar(close: 150),
        expected: []),
    .init(
        name: "a full window of 50 is judged", history: S.minuteBars(count: 50), probe: S.minuteBar(close: 150),
        expected: ["price-spike"]),
    .init(
        name: "warm-up: 5 values are enough for a unit error", history: S.minuteBars(count: 5), probe: S.minuteBar(close: 10_000),
        expected: ["unit-error"]),
    .init(name: "quote mid spike", history: S.quotes(), probe: S.quote(mid: 110), expected: ["price-spike"]),
    .init(name: "quote mid inside", history: S.quotes(), probe: S.quote(mid: 100.5), expected: []),
    .init(
        name: "trade price spike", history: (0..<50).map { .trade(F.trade(price: 100, at: t0 - .seconds(Int64(50 - $0)))) },
        probe: .trade(F.trade(price: 120)), expected: ["price-spike"])
]

private let unitCases: [StreamRuleCase] = [
    .init(
        name: "100x is a unit error, not a spike", history: S.minuteBars(), probe: S.minuteBar(close: 10_000),
        expected: ["unit-error"]),
    .init(name: "0.01x is a unit error", history: S.minuteBars(), probe: S.minuteBar(close: 1), expected: ["unit-error"]),
    .init(name: "119x is within tolerance", history: S.minuteBars(), probe: S.minuteBar(close: 11_900), expected: ["unit-error"]),
    .init(name: "121x is a spike", history: S.minuteBars(), probe: S.minuteBar(close: 12_100), expected: ["price-spike"]),
    .init(name: "50x is a spike", history: S.minuteBars(), probe: S.minuteBar(close: 5_000), expected: ["price-spike"]),
    .init(name: "100x quote", history: S.quotes(), probe: S.quote(mid: 10_000), expected: ["unit-error"])
]

/// Daily closes moving up to 1.2% a day, the last at 192.
private let daily = S.dailyBars(last: 192)
private let splitCases: [StreamRuleCase] = [
    .init(name: "normal day passes", history: daily, probe: S.dailyBar(close: 193), expected: []),
    .init(name: "halving is split-like", history: daily, probe: S.dailyBar(close: 96), expected: ["split-like"]),
    .init(name: "a third is split-like", history: daily, probe: S.dailyBar(close: 64), expected: ["split-like"]),
    .init(name: "two thirds is split-like", history: daily, probe: S.dailyBar(close: 128), expected: ["split-like"]),
    .init(name: "doubling is a reverse split", history: daily, probe: S.dailyBar(close: 384), expected: ["split-like"]),
    .init(name: "within 5% of a half", history: daily, probe: S.dailyBar(close: 96 * 1.04), expected: ["split-like"]),
    .init(name: "0.6x is no split ratio: a spike", history: daily, probe: S.dailyBar(close: 115.2), expected: ["price-spike"]),
    .init(
        name: "crypto does not split", history: S.dailyBars("BTC-USD", last: 61_000),
        probe: S.dailyBar("BTC-USD", close: 30_500), expected: ["price-spike"]),
    .init(
        name: "minute bars are not judged for splits", history: S.minuteBars(), probe: S.minuteBar(close: 50),
        expected: ["price-spike"])
]

private let sessionCases: [StreamRuleCase] = [
    .init(name: "zero volume in the regular session", probe: S.minuteBar(close: 100, volume: 0), expected: ["zero-volume"]),
    .init(
        name: "zero volume at 09:30 New York", probe: S.minuteBar(close: 100, volume: 0, start: t0 - .seconds(1_800)),
        expected: ["zero-volume"]),
    .init(
        name: "zero volume at 09:29 (pre-market) passes", probe: S.minuteBar(close: 100, volume: 0, start: t0 - .seconds(1_860)),
        expected: []),
    .init(name: "zero volume in crypto passes", probe: S.minuteBar("BTC-USD", close: 100, volume: 0), expected: []),
    .init(
        name: "zero-volume daily bar passes", probe: .bar(F.bar(timeframe: .oneDay, start: t0.startOfUTCDay, volume: 0)),
        expected: []),
    .init(name: "equity bar on a Sunday", probe: S.minuteBar(close: 100, start: sunday), expected: ["bar-outside-session"]),
    .init(
        name: "index bar on a Saturday", probe: S.minuteBar("^GSPC", close: 5_000, start: saturday),
        expected: ["bar-outside-session"]),
    .init(
        name: "19:59 New York (after-hours) passes", probe: S.minuteBar(close: 100, start: t0 + .seconds(35_940)), expected: []),
    .init(
        name: "20:00 New York is closed", probe: S.minuteBar(close: 100, start: t0 + .seconds(36_000)),
        expected: ["bar-outside-session"]),
    .init(name: "crypto bar on a Sunday passes", probe: S.minuteBar("BTC-USD", close: 100, start: sunday), expected: []),
    .init(name: "FX is not judged by the US session", probe: S.minuteBar("EURUSD=X", close: 1.08, start: sunday), expected: []),
    .init(
        name: "daily equity bar on a Sunday passes", probe: .bar(F.bar(timeframe: .oneDay, start: sunday.startOfUTCDay)),
        expected: [])
]

private let sequenceCases: [StreamRuleCase] = [
    .init(name: "exact repeat stays time-repeated", history: [previousBar], probe: previousBar, expected: ["time-repeated"]),
    .init(
        name: "same start, other close", history: [previousBar], probe: S.minuteBar(close: 100.02, start: t0 - .seconds(60)),
        expected: ["bar-conflict"]),
    .init(
        name: "same start, other volume", history: [previousBar],
        probe: S.minuteBar(close: 100, volume: 999, start: t0 - .seconds(60)), expected: ["bar-conflict"]),
    .init(
        name: "starts 30 s into the previous bar", history: [previousBar], probe: moved(previousBar, by: .seconds(30)),
        expected: ["bar-overlap"]),
    .init(
        name: "starts when the previous bar ends", history: [previousBar], probe: moved(previousBar, by: .seconds(60)),
        expected: []),
    .init(
        name: "starts before the previous bar", history: [previousBar], probe: moved(previousBar, by: .seconds(-60)),
        expected: ["time-backwards"]),
    .init(
        name: "daily bar 23 h later (daylight saving) passes", history: [S.dailyBar(close: 100)],
        probe: moved(S.dailyBar(close: 100), by: .seconds(23 * 3_600)), expected: []),
    .init(
        name: "daily bar 12 h later overlaps", history: [S.dailyBar(close: 100)],
        probe: moved(S.dailyBar(close: 100), by: .seconds(12 * 3_600)), expected: ["bar-overlap"])
]

private let quoteCases: [StreamRuleCase] = [
    .init(
        name: "quote lagging 6 min is stale", probe: S.quote(mid: 100, at: t0 - .seconds(360), receivedAt: t0),
        expected: ["stale-quote"]),
    .init(
        name: "quote lagging exactly 5 min passes", probe: S.quote(mid: 100, at: t0 - .seconds(300), receivedAt: t0), expected: []
    ),
    .init(
        name: "quote lagging 5 min 1 s is stale", probe: S.quote(mid: 100, at: t0 - .seconds(301), receivedAt: t0),
        expected: ["stale-quote"]),
    .init(
        name: "history quotes are not judged for staleness", probe: S.quote(mid: 100, at: t0 - .seconds(3_600), receivedAt: t0),
        expected: [], origin: .history),
    .init(
        name: "closed market: the last quote may be old",
        probe: S.quote(mid: 100, at: saturday - .seconds(3_600), receivedAt: saturday), expected: []),
    .init(
        name: "crypto never closes", probe: S.quote("BTC-USD", mid: 100, at: saturday - .seconds(3_600), receivedAt: saturday),
        expected: ["stale-quote"]),
    .init(name: "no day range and no previous close", probe: S.quote(mid: 130), expected: []),
    .init(
        name: "no day range: 10x the previous close", probe: S.quote(mid: 1_000, previousClose: 100),
        expected: ["quote-outside-range"]),
    .init(name: "no day range: 10% above the previous close", probe: S.quote(mid: 110, previousClose: 100), expected: []),
    .init(name: "far above Friday's range", history: [fridayRange], probe: S.quote(mid: 130), expected: ["quote-outside-range"]),
    .init(
        name: "just above the 20% margin", history: [fridayRange], probe: S.quote(mid: 126.1), expected: ["quote-outside-range"]),
    .init(name: "inside the 20% margin", history: [fridayRange], probe: S.quote(mid: 125), expected: []),
    .init(name: "far below Friday's range", history: [fridayRange], probe: S.quote(mid: 79), expected: ["quote-outside-range"]),
    .init(name: "inside the margin below", history: [fridayRange], probe: S.quote(mid: 80), expected: []),
    .init(
        name: "far above today's quotes", history: S.quotes(count: 3, mids: [100]), probe: S.quote(mid: 130),
        expected: ["quote-outside-range"])
]

@Suite("Validation v2 rules")
struct StreamRuleTableTests {
    @Test(arguments: spikeCases + unitCases + splitCases + sessionCases + sequenceCases + quoteCases)
    func ruleTable(_ row: StreamRuleCase) {
        var validator = Validator(configuration: .defaults)
        let setup = validator.validate(row.history, origin: row.origin, at: t0)
        #expect(setup.anomalies.isEmpty, "the history must be clean: \(setup.anomalies.map(\.message))")
        let result = validator.validate([row.probe], origin: row.origin, at: t0)
        #expect(Set(result.anomalies.map(\.rule)) == row.expected, "\(result.anomalies.map(\.message))")
        #expect(result.anomalies.count == row.expected.count, "one finding per rule, one rule per family")
        if row.expected.isEmpty {
            #expect(result.accepted == [row.probe])
        } else {
            #expect(result.accepted.isEmpty, "a value breaking a rule is quarantined")
            for anomaly in result.anomalies {
                #expect(anomaly.subject == row.probe && anomaly.quarantined && !anomaly.fields.isEmpty)
            }
        }
    }

    @Test func versionOneValidatorIgnoresVersionTwoFaults() {
        var validator = Validator()
        _ = validator.validate(S.minuteBars(), origin: .live, at: t0)
        let result = validator.validate([S.minuteBar(close: 10_000)], origin: .live, at: t0)
        #expect(result.anomalies.isEmpty)
    }
}
