import Testing

@testable import Collector

@Suite struct SimulatedHistoryTests {
    typealias F = SimulatedFixtures
    let now = F.afternoon

    @Test func sameSeedGivesIdenticalHistoryAndOtherSeedDiffers() {
        let range = (now - .seconds(86_400 * 30))...now
        let a = SimulatedMarket(seed: 42, symbols: F.mixed)
        let b = SimulatedMarket(seed: 42, symbols: [])
        let c = SimulatedMarket(seed: 43, symbols: F.mixed)
        for symbol in F.mixed {
            for timeframe in [Timeframe.oneDay, .oneMinute] {
                let first = a.historyBars(for: symbol, timeframe: timeframe, in: range)
                #expect(!first.isEmpty)
                #expect(first == b.historyBars(for: symbol, timeframe: timeframe, in: range))
                #expect(first != c.historyBars(for: symbol, timeframe: timeframe, in: range))
            }
        }
    }

    @Test func aYearOfDailyAndAWeekOfMinuteBarsAreAvailableAndValid() {
        let market = SimulatedMarket(seed: 7, symbols: F.mixed)
        for symbol in F.mixed {
            let daily = market.historyBars(for: symbol, timeframe: .oneDay, in: (now - .seconds(86_400 * 366))...now)
            let minutes = market.historyBars(for: symbol, timeframe: .oneMinute, in: (now - .seconds(86_400 * 7))...now)
            #expect(daily.count >= 365)
            #expect(minutes.count == 7 * 1440)
            for bars in [daily, minutes] {
                #expect(zip(bars, bars.dropFirst()).allSatisfy { $0.start < $1.start })
                #expect(bars.allSatisfy { $0.symbol == symbol && $0.source == .simulated })
                let bad = bars.filter {
                    !($0.low > 0 && $0.low <= min($0.open, $0.close) && max($0.open, $0.close) <= $0.high
                        && $0.volume >= 0)
                }
                #expect(bad.isEmpty, "\(symbol): \(bad.prefix(3))")
            }
            #expect(daily.last.map { $0.start + .seconds(86_400) <= now } == true)
            #expect(minutes.last?.start == now - .seconds(60))
        }
    }

    @Test(arguments: [F.aapl, F.btc, F.eur, F.spx])
    func dailyBarEqualsTheAggregateOfItsMinuteBars(symbol: Symbol) {
        let market = SimulatedMarket(seed: 3, symbols: [symbol])
        let days = market.historyBars(for: symbol, timeframe: .oneDay, in: (now - .seconds(86_400 * 3))...now)
        #expect(days.count == 2)
        for day in days {
            let minutes = market.historyBars(
                for: symbol, timeframe: .oneMinute, in: day.start...(day.start + .seconds(86_400)))
            #expect(minutes.count == 1440)
            #expect(minutes.first?.open == day.open)
            #expect(minutes.last?.close == day.close)
            #expect(minutes.map(\.high).max() == day.high)
            #expect(minutes.map(\.low).min() == day.low)
            #expect(minutes.reduce(0) { $0 + $1.volume } == day.volume)
            #expect(zip(minutes, minutes.dropFirst()).allSatisfy { $0.close == $1.open })
        }
    }

    @Test func resampledTimeframesAggregateTheirParts() {
        let market = SimulatedMarket(seed: 5, symbols: [F.aapl])
        let start = F.midnight
        let hours = market.historyBars(for: F.aapl, timeframe: .oneHour, in: start...now)
        let minutes = market.historyBars(for: F.aapl, timeframe: .oneMinute, in: start...now)
        #expect(hours.count == 15)
        for hour in hours {
            let parts = minutes.filter { $0.start >= hour.start && $0.start < hour.start + .seconds(3600) }
            #expect(parts.count == 60)
            #expect(hour.open == parts.first?.open && hour.close == parts.last?.close)
            #expect(hour.high == parts.map(\.high).max() && hour.low == parts.map(\.low).min())
        }
        let weeks = market.historyBars(for: F.aapl, timeframe: .oneWeek, in: (now - .seconds(86_400 * 60))...now)
        #expect((8...9).contains(weeks.count))
        #expect(weeks.allSatisfy { Timeframe.oneWeek.bucketStart(containing: $0.start) == $0.start })
    }

    @Test func historyStopsAtTheTimeTheMarketWasAdvancedTo() {
        var market = SimulatedMarket(seed: 1, symbols: [F.aapl])
        _ = market.advance(to: now - .seconds(600))
        let bars = market.historyBars(for: F.aapl, timeframe: .oneMinute, in: (now - .seconds(3600))...now)
        #expect(bars.last?.start == now - .seconds(660))
    }

    @Test func equityVolumeIsHigherAtTheUSOpenAndCloseThanAtMidday() {
        let market = SimulatedMarket(seed: 9, symbols: [F.aapl])
        let minutes = market.historyBars(for: F.aapl, timeframe: .oneMinute, in: (now - .seconds(86_400 * 7))...now)
        func volume(hour: Int, minute: Int) -> Double {
            let offset = Int64(hour * 3600 + minute * 60) * 1_000_000_000
            return minutes.filter {
                ($0.start.nanoseconds % 86_400_000_000_000) / 60_000_000_000 * 60_000_000_000
                    >= offset && ($0.start.nanoseconds % 86_400_000_000_000) < offset + 900_000_000_000
            }.reduce(0) { $0 + $1.volume }
        }
        let open = volume(hour: 14, minute: 30)
        let midday = volume(hour: 17, minute: 30)
        let close = volume(hour: 20, minute: 45)
        let night = volume(hour: 3, minute: 0)
        #expect(open > 2 * midday)
        #expect(close > 2 * midday)
        #expect(midday > 5 * night)
    }

    @Test func startingPricesAreNearTheTable() {
        let anchor = Timestamp(seconds: 1_577_836_800)  // 2020-01-01, where the path starts at the table price
        let market = SimulatedMarket(seed: 11, symbols: [])
        for (symbol, price) in [(F.aapl, 190.0), (F.btc, 60_000), (F.eur, 1.08)] {
            let first = market.historyBars(for: symbol, timeframe: .oneDay, in: anchor...(anchor + .seconds(86_400)))
            #expect(first.count == 1)
            #expect(abs((first.first?.open ?? 0) / price - 1) < 0.001, "\(symbol) opened at \(first)")
            let recent = market.historyBars(for: symbol, timeframe: .oneDay, in: (now - .seconds(86_400 * 2))...now)
            let ratio = (recent.last?.close ?? 0) / price
            #expect(ratio > 0.4 && ratio < 2.5, "\(symbol) drifted to \(recent)")
        }
        let zzz = market.historyBars(for: F.symbol("ZZZQ"), timeframe: .oneDay, in: (now - .seconds(86_400 * 2))...now)
        #expect(zzz.first.map { $0.close > 3 && $0.close < 1500 } == true)
        #expect(zzz.first.map { $0.close == ($0.close * 100).rounded() / 100 } == true)
    }

    @Test func emptyOrInvertedRangesGiveNoBars() {
        let market = SimulatedMarket(seed: 1, symbols: [])
        #expect(market.historyBars(for: F.aapl, timeframe: .oneDay, in: now...now).isEmpty)
        #expect(market.historyBars(for: F.aapl, timeframe: .oneMinute, in: (now - .seconds(59))...now).isEmpty)
    }
}
