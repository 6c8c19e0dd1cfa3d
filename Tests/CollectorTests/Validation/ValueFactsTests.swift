import Collector
import CollectorTestSupport
import Foundation
import Testing

/// The checks the validator reads once into `ValueFacts` (clean prices, negative amounts, a
/// crossed quote) let three rules skip the value itself: each must judge exactly as it does
/// from the value alone, over seeded values with every kind of bad field.
@Suite("Value facts")
struct ValueFactsTests {
    static let rules: [any ValidationRule] = [PositivePriceRule(), NonNegativeVolumeRule(), CrossedQuoteRule()]

    /// A value of a random kind whose fields are now and then missing, zero, negative or not finite.
    static func randomEvent(_ random: inout SplitMix64) -> MarketEvent {
        func field() -> Double {
            switch random.below(12) {
            case 0: .nan
            case 1: .infinity
            case 2: -.infinity
            case 3: 0
            case 4: -1.5
            default: 100 + 10 * random.normal()
            }
        }
        func optional() -> Double? { random.below(5) == 0 ? nil : field() }
        let time = MarketFixtures.baseTime + .milliseconds(Int64(random.below(1_000_000)))
        switch random.below(3) {
        case 0:
            return .quote(
                Quote(
                    symbol: MarketFixtures.symbol("AAPL"), source: .simulated, bid: optional(), bidSize: optional(),
                    ask: optional(), askSize: optional(), last: optional(), exchangeTime: time, receivedAt: time,
                    previousClose: optional(), dayVolume: optional()))
        case 1:
            return .trade(MarketFixtures.trade(price: field(), size: field(), at: time))
        default:
            var bar = MarketFixtures.bar(
                start: time, open: field(), high: field(), low: field(), close: field(), volume: field(), vwap: optional())
            bar.tradeCount = random.below(4) == 0 ? nil : random.below(3) - 1
            return .bar(bar)
        }
    }

    @Test func rulesJudgeFromTheFactsAsFromTheValue() {
        var random = SplitMix64(seed: 17)
        var fired = [0, 0, 0]
        for _ in 0..<5_000 {
            let event = Self.randomEvent(&random)
            let context = ValidationContext(for: event)
            for (index, rule) in Self.rules.enumerated() {
                let fromValue = rule.check(event, previousTime: nil, at: MarketFixtures.baseTime)
                let fromFacts = rule.check(event, in: context, at: MarketFixtures.baseTime)
                // Described, not compared: a NaN field is not equal to itself.
                #expect(String(describing: fromFacts) == String(describing: fromValue), "\(rule.name) on \(event)")
                if fromValue != nil { fired[index] += 1 }
            }
        }
        // Each rule both fired and passed many times: the comparison covered both ways.
        #expect(fired.allSatisfy { $0 > 100 && $0 < 4_900 }, "\(fired)")
    }
}
