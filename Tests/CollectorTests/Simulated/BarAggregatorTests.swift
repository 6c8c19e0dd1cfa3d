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
