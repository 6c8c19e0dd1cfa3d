import Testing

@testable import Collector

@Suite struct SimulatedLiveTests {
    typealias F = SimulatedFixtures
    let start = F.afternoon + .seconds(10)

    @Test func sameSeedGivesIdenticalEventsAndOtherSeedDiffers() {
        var a = SimulatedMarket(seed: 42, symbols: F.mixed)
        var b = SimulatedMarket(seed: 42, symbols: F.mixed)
        var c = SimulatedMarket(seed: 43, symbols: F.mixed)
        let first = F.run(&a, from: start, for: .seconds(70))
        #expect(first.count > 1000)
        #expect(first == F.run(&b, from: start, for: .seconds(70)))
        #expect(first != F.run(&c, from: start, for: .seconds(70)))
    }

    @Test func firstAdvanceStartsAtNowWithOneQuotePerSymbolAndTimeOnlyMovesForward() {
        var market = SimulatedMarket(seed: 1, symbols: F.mixed)
        let events = market.advance(to: start)
        #expect(events.filter { $0.kind == .quote }.count == F.mixed.count)
        #expect(events.allSatisfy { $0.kind != .bar && $0.time == start })
        #expect(market.advance(to: start).isEmpty)
        #expect(market.advance(to: start - .seconds(1)).isEmpty)
    }

    @Test func quotesHaveIncreasingTimesValidSpreadsAndSessionFields() throws {
        var market = SimulatedMarket(seed: 2, symbols: F.mixed)
        let events = F.run(&market, from: start, for: .seconds(30))
        let history = market.historyBars(for: F.aapl, timeframe: .oneDay, in: (start - .seconds(86_400 * 2))...start)
        for symbol in F.mixed {
            let quotes = F.quotes(events, symbol)
            #expect((100...140).contains(quotes.count), "\(symbol): \(quotes.count) quotes in 30 s")
            #expect(zip(quotes, quotes.dropFirst()).allSatisfy { $0.exchangeTime < $1.exchangeTime })
            #expect(quotes.allSatisfy { $0.bid! < $0.ask! && $0.bid! > 0 && $0.bidSize! > 0 && $0.askSize! > 0 })
            #expect(quotes.allSatisfy { $0.exchangeTime <= $0.receivedAt && $0.last != nil })
            #expect(quotes.allSatisfy { $0.previousClose != nil && ($0.dayVolume ?? -1) > 0 })
        }
        let aapl = F.quotes(events, F.aapl)
        #expect(aapl.allSatisfy { $0.bidSize!.truncatingRemainder(dividingBy: 100) == 0 })
        #expect(aapl.first?.previousClose == history.last?.close)
        let daily = try #require(history.last)
        #expect(abs(aapl[0].mid! / daily.close - 1) < 0.05)
    }

    @Test func catchUpAfterALongPauseIsCapped() {
        var market = SimulatedMarket(seed: 3, symbols: [F.aapl])
        _ = market.advance(to: start)
        let events = market.advance(to: start + .seconds(3600))
        let quotes = F.quotes(events, F.aapl)
        #expect((30...50).contains(quotes.count))
        #expect(quotes.allSatisfy { $0.exchangeTime >= start + .seconds(3590) })
    }

    @Test func minuteBarsAreTheAggregateOfTheEmittedTicks() {
        var market = SimulatedMarket(seed: 4, symbols: [F.aapl, F.btc, F.eur])
        let events = F.run(&market, from: start, for: .seconds(200))
        for symbol in [F.aapl, F.btc, F.eur] {
            let bars = F.bars(events, symbol)
            // Started 10 s into a minute: that minute was seen in part and is not sent.
            #expect(bars.count == 2, "\(symbol): \(bars.count) bars")
            for bar in bars {
                let end = bar.start + .seconds(60)
                let ticks = events.filter { $0.symbol == symbol && $0.kind != .bar && $0.time >= bar.start && $0.time < end }
                let prices = ticks.map(F.price)
                let trades = ticks.compactMap { if case .trade(let t) = $0 { t } else { nil } }
                // Volumes add up as decimals; the VWAP keeps `vwapExtraPlaces` beyond its prices.
                let volume = DecimalArithmetic.sum(trades.map(\.size))
                #expect(bar.timeframe == .oneMinute && bar.start == Timeframe.oneMinute.bucketStart(containing: bar.start))
                #expect(bar.open == prices.first && bar.close == prices.last)
                #expect(bar.high == prices.max() && bar.low == prices.min())
                #expect(bar.volume == volume && bar.tradeCount == trades.count)
                if volume > 0 {
                    let vwap = trades.reduce(0) { $0 + $1.price * $1.size } / volume
                    let places =
                        (trades.compactMap { DecimalArithmetic.places(of: $0.price) }.max() ?? 0)
                        + BarAggregator.vwapExtraPlaces
                    var unit = 1.0
                    for _ in 0..<places { unit /= 10 }
                    #expect(abs((bar.vwap ?? 0) - vwap) <= unit / 2 + 1e-9 * vwap)
                }
                let emittedAt = events.firstIndex(of: .bar(bar)) ?? 0
                #expect(events[..<emittedAt].filter { $0.symbol == symbol && $0.kind != .bar && $0.time >= end }.isEmpty)
            }
        }
        #expect(!events.filter { $0.kind == .trade }.isEmpty)
    }

    /// A minute bar aggregated from part of its minute (the minute the stream started in, one cut
    /// by a pause longer than the catch-up, or by a stall) would be stored as that minute's bar:
    /// often with zero volume, which validation then quarantines. Only whole minutes are sent.
    @Test func minutesSeenOnlyInPartAreNotSent() {
        var market = SimulatedMarket(seed: 6, symbols: [F.aapl, F.btc])
        market.inject(.stall(F.btc, .seconds(95)), at: start)
        var events = F.run(&market, from: start, for: .seconds(185))
        let minute = Timeframe.oneMinute.bucketStart(containing: start)
        // AAPL: minute 0 (from :10) is partial; minutes 1 and 2 are whole. BTC-USD stalled
        // until minute 1 + 45 s: minutes 0 and 1 partial, minute 2 whole.
        #expect(F.bars(events, F.aapl).map(\.start) == [minute + .seconds(60), minute + .seconds(120)])
        #expect(F.bars(events, F.btc).map(\.start) == [minute + .seconds(120)])
        // A pause of ten minutes: the minute the feed resumes in is partial, the next one whole.
        let resumed = start + .seconds(800)
        events = F.run(&market, from: resumed, for: .seconds(110))
        let resumedMinute = Timeframe.oneMinute.bucketStart(containing: resumed)
        for symbol in [F.aapl, F.btc] {
            #expect(F.bars(events, symbol).map(\.start) == [resumedMinute + .seconds(60)], "\(symbol)")
        }
    }

    @Test func latestQuoteFollowsThePath() throws {
        let market = SimulatedMarket(seed: 5, symbols: [F.aapl])
        let quote = try #require(market.quote(for: F.aapl, at: start))
        let minute = market.historyBars(for: F.aapl, timeframe: .oneMinute, in: (start - .seconds(70))...start)
        let bar = try #require(minute.last)
        #expect(quote.exchangeTime == start && quote.bid! < quote.ask!)
        #expect(abs(quote.mid! / bar.close - 1) < 0.01)
    }
}
