import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// Issue 13, "numbers exactly as sent": values ticktop computes from prices and sizes as sent
/// (a quote's mid and spread, summed volumes, an aggregated bar's VWAP) are the nearest double to
/// the exact decimal result, so `--once --json` writes `211.42`, never `211.42000000000002`.
@Suite("Decimal arithmetic")
struct DecimalArithmeticTests {
    /// Pairs of decimals with the same places, as integers of that scale (seeded).
    static func pairs(count: Int, seed: UInt64) -> [(a: Int64, b: Int64, places: Int)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let places = Int.random(in: 0...8, using: &random)
            let limit: Int64 = 100_000_000_000
            return (Int64.random(in: 1...limit, using: &random), Int64.random(in: 1...limit, using: &random), places)
        }
    }

    /// `units` scaled by 10^places as decimal text (`21142`, 2: `211.42`).
    static func text(_ units: Int64, places: Int) -> String {
        let sign = units < 0 ? "-" : ""
        var digits = String(units.magnitude)
        guard places > 0 else { return sign + digits }
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        return sign + digits.dropLast(places) + "." + digits.suffix(places)
    }

    @Test func theReportedCases() {
        #expect(DecimalArithmetic.midpoint(211.41, 211.43) == 211.42)
        #expect((211.41 + 211.43) / 2 != 211.42, "binary arithmetic gives 211.42000000000002")
        #expect(DecimalArithmetic.sum(0.1, 0.2) == 0.3)
        #expect(DecimalArithmetic.sum([0.1, 0.2, 0.7]) == 1)
        #expect(DecimalArithmetic.difference(211.43, 211.41) == 0.02)
        #expect(DecimalArithmetic.places(of: 211.42) == 2)
        #expect(DecimalArithmetic.places(of: 0.00001) == 5)
        #expect(DecimalArithmetic.places(of: 1.5e-7) == 8)
        #expect(DecimalArithmetic.places(of: 5) == 0)
        #expect(DecimalArithmetic.places(of: 1e20) == 0)
        #expect(DecimalArithmetic.places(of: .nan) == nil)
        #expect(DecimalArithmetic.rounded(211.42000000000002, places: 6) == 211.42)
    }

    /// Property: mid, sum and difference equal `Double(String)` of the exact decimal result.
    @Test func resultsAreTheNearestDoubleToTheExactDecimal() throws {
        for (a, b, places) in Self.pairs(count: 2000, seed: 13) {
            let x = try #require(Double(Self.text(a, places: places)))
            let y = try #require(Double(Self.text(b, places: places)))
            let mid = try #require(Double(Self.text((a + b) * 5, places: places + 1)))
            let sum = try #require(Double(Self.text(a + b, places: places)))
            let difference = try #require(Double(Self.text(a - b, places: places)))
            #expect(DecimalArithmetic.midpoint(x, y) == mid, "mid of \(x) and \(y)")
            #expect(DecimalArithmetic.sum(x, y) == sum, "\(x) + \(y)")
            #expect(DecimalArithmetic.difference(x, y) == difference, "\(x) - \(y)")
        }
    }

    @Test func valuesBeyondExactScalingFallBackToBinaryArithmetic() {
        let huge = 1e300
        #expect(DecimalArithmetic.sum(huge, huge) == 2e300)
        #expect(DecimalArithmetic.midpoint(.infinity, 1) == .infinity)
        #expect(DecimalArithmetic.difference(0.1234567890123456789, 0) == 0.1234567890123456789)
    }

    @Test func aQuotesMidAndSpreadAreAsAPersonWritesThem() {
        let quote = F.quote(bid: 211.41, ask: 211.43, last: nil)
        #expect(quote.mid == 211.42)
        #expect(quote.price == 211.42)
        #expect(quote.spread == 0.02)
    }

    @Test func anAggregatedBarSumsVolumesAsDecimalsAndRoundsItsVWAP() {
        var aggregator = BarAggregator(symbol: F.symbol("BTC-USD"), source: .simulated, timeframe: .oneHour)
        let start = Timestamp.utcMidnight(year: 2026, month: 3, day: 2)!
        for (minute, size) in [0.1, 0.2, 0.7, 13].enumerated() {
            _ = aggregator.add(
                Trade(
                    symbol: F.symbol("BTC-USD"), source: .simulated, price: 211.42, size: size,
                    exchangeTime: start + .seconds(Int64(minute) * 60), receivedAt: start))
        }
        let bar = aggregator.openBar
        #expect(bar?.volume == 14)
        #expect(bar?.vwap == 211.42, "every trade at 211.42: the VWAP is 211.42")

        let finer = [
            F.bar("BTC-USD", start: start, volume: 0.1, vwap: 211.42),
            F.bar("BTC-USD", start: start + .seconds(60), volume: 0.2, vwap: 211.42)
        ]
        let hour = BarAggregator.aggregate(finer, into: .oneHour)
        #expect(hour.first?.volume == 0.3)
        #expect(hour.first?.vwap == 211.42)
        // A true average keeps four decimals beyond its prices.
        let mixed = BarAggregator.aggregate(
            [F.bar(start: start, volume: 1, vwap: 211.42), F.bar(start: start + .seconds(60), volume: 2, vwap: 211.43)],
            into: .oneHour)
        #expect(mixed.first?.vwap == 211.426667)
    }

    @Test func theDayVolumeSummedFromMinuteBarsIsTheDecimalSum() async {
        let clock = FixedTimeSource()
        let state = MarketState(
            watchlist: [F.symbol("BTC-USD")], sources: [.init(id: .simulated, kind: "simulated", priority: 1)],
            timeSource: clock)
        let start = clock.now() - .seconds(180)
        await state.apply(accepted: [
            .bar(F.bar("BTC-USD", start: start, volume: 0.1)), .bar(F.bar("BTC-USD", start: start + .seconds(60), volume: 0.2)),
            .quote(F.quote("BTC-USD", bid: 211.41, ask: 211.43, last: nil, at: clock.now()))
        ])
        let row = await state.snapshot().symbol(F.symbol("BTC-USD"))
        #expect(row?.dayVolume == 0.3)
        #expect(row?.price == 211.42)
    }
}
