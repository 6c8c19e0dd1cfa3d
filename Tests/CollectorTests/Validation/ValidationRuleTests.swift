import Collector
import CollectorTestSupport
import Testing

/// One row of the rule table: a value, and the rules it must trip (empty = clean).
struct RuleCase: CustomTestStringConvertible, Sendable {
    let name: String
    let event: MarketEvent
    let expected: Set<String>
    var testDescription: String { name }
}

private let F = MarketFixtures.self

/// A quote with only a bid (and maybe a last trade): no midpoint.
private func bidOnly(last: Double?) -> Quote {
    Quote(
        symbol: F.symbol("AAPL"), source: .simulated, bid: 100, bidSize: 100, ask: nil, askSize: nil, last: last,
        exchangeTime: F.baseTime, receivedAt: F.baseTime)
}

private let ruleCases: [RuleCase] = [
    RuleCase(name: "clean quote", event: .quote(F.quote()), expected: []),
    RuleCase(name: "locked quote passes", event: .quote(F.quote(bid: 100, ask: 100)), expected: []),
    RuleCase(name: "crossed quote", event: .quote(F.quote(bid: 100.5, ask: 100.1)), expected: ["crossed-quote"]),
    RuleCase(name: "zero bid", event: .quote(F.quote(bid: 0)), expected: ["bad-price"]),
    RuleCase(name: "negative ask", event: .quote(F.quote(bid: -1, ask: -0.5)), expected: ["bad-price"]),
    RuleCase(name: "NaN last", event: .quote(F.quote(last: .nan)), expected: ["bad-price"]),
    RuleCase(name: "infinite ask", event: .quote(F.quote(ask: .infinity)), expected: ["bad-price"]),
    RuleCase(name: "negative bid size", event: .quote(F.quote(bidSize: -5)), expected: ["negative-volume"]),
    RuleCase(name: "bid only with a last passes", event: .quote(bidOnly(last: 100.01)), expected: []),
    RuleCase(name: "bid only without a last: no price", event: .quote(bidOnly(last: nil)), expected: ["bad-price"]),
    RuleCase(name: "clean trade", event: .trade(F.trade()), expected: []),
    RuleCase(name: "zero trade price", event: .trade(F.trade(price: 0)), expected: ["bad-price"]),
    RuleCase(name: "negative trade size", event: .trade(F.trade(size: -1)), expected: ["negative-volume"]),
    RuleCase(name: "clean bar", event: .bar(F.bar()), expected: []),
    RuleCase(name: "flat bar passes", event: .bar(F.bar(open: 5, high: 5, low: 5, close: 5, volume: 0)), expected: []),
    RuleCase(
        name: "high below low", event: .bar(F.bar(open: 100, high: 99, low: 101, close: 100)), expected: ["ohlc-inconsistent"]),
    RuleCase(name: "open above high", event: .bar(F.bar(open: 102)), expected: ["ohlc-inconsistent"]),
    RuleCase(name: "close below low", event: .bar(F.bar(close: 98)), expected: ["ohlc-inconsistent"]),
    RuleCase(name: "negative volume", event: .bar(F.bar(volume: -10)), expected: ["negative-volume"]),
    RuleCase(name: "non-positive close", event: .bar(F.bar(open: 1, high: 1, low: -1, close: -1)), expected: ["bad-price"]),
    RuleCase(name: "infinite high", event: .bar(F.bar(high: .infinity)), expected: ["bad-price"]),
    RuleCase(name: "NaN volume", event: .bar(F.bar(volume: .nan)), expected: ["bad-price"])
]

@Suite("Validation rules")
struct ValidationRuleTests {
    @Test(arguments: ruleCases)
    func ruleTable(_ row: RuleCase) {
        var validator = Validator()
        let result = validator.validate([row.event], origin: .live, at: F.baseTime)
        #expect(Set(result.anomalies.map(\.rule)) == row.expected)
        if row.expected.isEmpty {
            #expect(result.accepted == [row.event])
        } else {
            #expect(result.accepted.isEmpty, "a value breaking a rule is quarantined, not accepted")
            for anomaly in result.anomalies {
                // Compared as text: NaN is never == itself.
                #expect(
                    String(describing: anomaly.subject) == String(describing: row.event),
                    "the quarantined value travels with its anomaly")
                #expect(anomaly.quarantined)
                #expect(!anomaly.fields.isEmpty)
                #expect(anomaly.symbol == row.event.symbol)
            }
        }
    }

    /// `levelName` says what `levelPrice` would, without working out a midpoint.
    @Test func levelNameIsTheLevelPricesName() {
        let events: [MarketEvent] = [
            .quote(F.quote()), .quote(F.quote(last: nil)), .quote(bidOnly(last: 100.01)), .quote(bidOnly(last: nil)),
            .trade(F.trade()), .bar(F.bar())
        ]
        #expect(events.map(\.levelName) == ["mid", "mid", "last", "last", "price", "close"])
        #expect(events.map(\.levelName) == events.map(\.levelPrice.name))
    }

    @Test func crossedQuoteNamesBothPrices() throws {
        let anomaly = try #require(
            CrossedQuoteRule().check(.quote(F.quote(bid: 10.5, ask: 10.25)), previousTime: nil, at: F.baseTime))
        #expect(anomaly.message == "crossed quote: bid 10.5 > ask 10.25")
        #expect(anomaly.fields == [.init("bid", 10.5), .init("ask", 10.25)])
        #expect(anomaly.severity == .error)
    }

    @Test func timestampsMustMoveForward() {
        var validator = Validator()
        let t0 = F.baseTime
        let events: [MarketEvent] = [
            .quote(F.quote(at: t0)),
            .quote(F.quote(at: t0 + .seconds(1))),
            .quote(F.quote(at: t0 + .seconds(1))),  // repeats
            .quote(F.quote(at: t0)),  // backwards
            .quote(F.quote(at: t0 + .seconds(2)))  // fine again
        ]
        let result = validator.validate(events, origin: .live, at: t0)
        #expect(result.anomalies.map(\.rule) == ["time-repeated", "time-backwards"])
        #expect(result.anomalies.map(\.severity) == [.warning, .error])
        #expect(result.accepted == [events[0], events[1], events[4]])
    }

    @Test func orderIsPerStream() {
        var validator = Validator()
        let t0 = F.baseTime
        let events: [MarketEvent] = [
            .quote(F.quote("AAPL", at: t0 + .seconds(5))),
            .quote(F.quote("MSFT", at: t0)),  // other symbol
            .quote(F.quote("AAPL", source: "alpaca", at: t0)),  // other source
            .bar(F.bar("AAPL", start: t0)),  // other kind
            .bar(F.bar("AAPL", timeframe: .oneDay, start: t0.startOfUTCDay))  // other timeframe
        ]
        let result = validator.validate(events, origin: .live, at: t0)
        #expect(result.anomalies.isEmpty)
        #expect(result.accepted.count == events.count)
    }

    @Test func historyIsOrderedApartFromLive() {
        var validator = Validator()
        let t0 = F.baseTime
        _ = validator.validate([.bar(F.bar(start: t0 + .seconds(600)))], origin: .live, at: t0)
        let backfill = F.minuteBars(count: 5, start: t0).map(MarketEvent.bar)
        let result = validator.validate(backfill, origin: .history, at: t0)
        #expect(result.anomalies.isEmpty, "a backfill older than live bars is not time going backwards")
        let again = validator.validate([backfill[2]], origin: .history, at: t0)
        #expect(again.anomalies.map(\.rule) == ["time-backwards"])
    }

    @Test func quarantinedValueDoesNotBecomePrevious() {
        var validator = Validator()
        let t0 = F.baseTime
        let events: [MarketEvent] = [
            .quote(F.quote(at: t0)),
            .quote(F.quote(bid: 200, ask: 100, at: t0 + .seconds(10))),  // crossed, quarantined
            .quote(F.quote(at: t0 + .seconds(5)))  // later than the last accepted: fine
        ]
        let result = validator.validate(events, origin: .live, at: t0)
        #expect(result.anomalies.map(\.rule) == ["crossed-quote"])
        #expect(result.accepted == [events[0], events[2]])
    }

    @Test func severalRulesCanFireOnOneValue() {
        var validator = Validator()
        let bad = MarketEvent.bar(F.bar(open: 100, high: 99, low: 101, close: 100, volume: -1))
        let result = validator.validate([bad], origin: .live, at: F.baseTime)
        #expect(Set(result.anomalies.map(\.rule)) == ["ohlc-inconsistent", "negative-volume"])
        #expect(result.accepted.isEmpty)
    }
}
