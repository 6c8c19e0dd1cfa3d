import CollectorTestSupport
import Testing

@testable import Collector

/// Tests the reusable aggregator the simulated market builds its minute bars with.
@Suite struct BarAggregatorTests {
    typealias F = SimulatedFixtures
    let t0 = F.afternoon

    func trade(_ price: Double, _ size: Double, at seconds: Int64) -> Trade {
        Trade(
            symbol: F.aapl, source: .simulated, price: price, size: size,
            exchangeTime: t0 + .seconds(seconds), receivedAt: t0 + .seconds(seconds))
    }

    @Test func buildsOHLCVolumeVWAPAndCountAndEmitsWhenTheBucketCloses() throws {
        var aggregator = BarAggregator(symbol: F.aapl, source: .simulated, timeframe: .oneMinute)
        #expect(aggregator.add(trade(10, 100, at: 1)) == nil)
        #expect(aggregator.add(price: 12, at: t0 + .seconds(20)) == nil)
        #expect(aggregator.add(trade(9, 300, at: 30)) == nil)
        #expect(aggregator.add(trade(11, 100, at: 59)) == nil)
        #expect(aggregator.close(through: t0 + .seconds(59)) == nil)
        let closed = aggregator.add(trade(20, 5, at: 61))
        let bar = try #require(closed)
        #expect(bar.start == t0 && bar.timeframe == .oneMinute && bar.symbol == F.aapl)
        #expect([bar.open, bar.high, bar.low, bar.close] == [10, 12, 9, 11])
        #expect(bar.volume == 500 && bar.tradeCount == 3)
        let vwap: Double = (1000 + 2700 + 1100) / 500
        #expect(bar.vwap == vwap)
        let last = aggregator.close(through: t0 + .seconds(120))
        let next = try #require(last)
        #expect(next.start == t0 + .seconds(60) && next.open == 20 && next.volume == 5)
        #expect(aggregator.openBar == nil)
    }

    @Test func ignoresValuesOlderThanTheOpenBarAndPricesCarryNoVolume() throws {
        var aggregator = BarAggregator(symbol: F.aapl, source: .simulated, timeframe: .oneMinute)
        _ = aggregator.add(price: 5, at: t0 + .seconds(70))
        #expect(aggregator.add(trade(1, 100, at: 10)) == nil)
        let closed = aggregator.close(through: t0 + .seconds(120))
        let bar = try #require(closed)
        #expect(bar.low == 5 && bar.volume == 0 && bar.vwap == nil && bar.tradeCount == 0)
    }

    /// Seeded trades and quote prices, the bars checked against the definition worked out
    /// separately: each minute's first, highest, lowest and last price, the decimal sum of its
    /// sizes (zero and fractional ones among them), its trade count, and its VWAP (notional over
    /// volume, rounded to `vwapExtraPlaces` beyond the prices' places) after every value.
    @Test func everyBarMatchesTheDefinitionOverSeededValues() throws {
        var random = SplitMix64(seed: 2026)
        var aggregator = BarAggregator(symbol: F.aapl, source: .simulated, timeframe: .oneMinute)
        var expected:
            (start: Timestamp, prices: [Double], volume: Double, trades: Int, notional: Double, sized: Double, places: Int)?
        var closedCount = 0
        for step in 0..<20_000 {
            let time = t0 + .milliseconds(Int64(step) * 37)
            let price = (10_000 + 200 * random.normal()).rounded() / 100
            let isTrade = random.below(3) == 0
            let size = random.below(4) == 0 ? 0 : Double(random.below(2_000)) / (random.below(2) == 0 ? 1 : 100)
            let closed =
                isTrade
                ? aggregator.add(
                    Trade(symbol: F.aapl, source: .simulated, price: price, size: size, exchangeTime: time, receivedAt: time))
                : aggregator.add(price: price, at: time)
            let bucket = Timeframe.oneMinute.bucketStart(containing: time)
            if let open = expected, open.start != bucket {
                let bar = try #require(closed)
                #expect(bar.start == open.start)
                closedCount += 1
                expected = nil
            } else {
                #expect(closed == nil)
            }
            var current = expected ?? (bucket, [], 0, 0, 0, 0, 0)
            current.prices.append(price)
            current.volume =
                current.prices.count == 1 ? (isTrade ? size : 0) : DecimalArithmetic.sum(current.volume, isTrade ? size : 0)
            current.trades += isTrade ? 1 : 0
            if isTrade, size > 0 {
                current.notional += price * size
                current.sized += size
                current.places = max(current.places, DecimalArithmetic.places(of: price) ?? 0)
            }
            expected = current
            let bar = try #require(aggregator.openBar)
            #expect(bar.open == current.prices[0] && bar.close == price)
            #expect(bar.high == current.prices.max()! && bar.low == current.prices.min()!)
            #expect(bar.volume == current.volume && bar.tradeCount == current.trades)
            let vwap =
                current.sized > 0
                ? DecimalArithmetic.rounded(
                    current.notional / current.sized, places: current.places + BarAggregator.vwapExtraPlaces)
                : nil
            #expect(bar.vwap == vwap, "step \(step)")
        }
        #expect(closedCount > 10)
    }

    @Test func resamplesFinerBarsIncludingCalendarMonths() throws {
        var aggregator = BarAggregator(symbol: F.aapl, source: .simulated, timeframe: .oneMonth)
        let feb = Timestamp(seconds: 1_769_904_000)  // 2026-02-01
        var closed: [Bar] = []
        for day in 0..<40 {
            let bar = Bar(
                symbol: F.aapl, source: .simulated, timeframe: .oneDay, start: feb + .seconds(Int64(day) * 86_400),
                open: Double(day), high: Double(day) + 2, low: Double(day) - 1, close: Double(day) + 1,
                volume: 10, vwap: Double(day), tradeCount: 1)
            if let done = aggregator.add(bar) { closed.append(done) }
        }
        let month = try #require(closed.first)
        #expect(closed.count == 1 && month.start == feb && month.timeframe == .oneMonth)
        #expect([month.open, month.high, month.low, month.close] == [0, 29, -1, 28])
        #expect(month.volume == 280 && month.tradeCount == 28 && month.vwap == 13.5)
        #expect(BarAggregator.bucketEnd(of: .oneMonth, startingAt: feb) == feb + .seconds(28 * 86_400))
        #expect(aggregator.close(through: feb + .seconds(40 * 86_400)) == nil)
    }
}
