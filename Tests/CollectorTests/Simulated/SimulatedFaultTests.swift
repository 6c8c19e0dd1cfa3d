import Testing

@testable import Collector

@Suite struct SimulatedFaultTests {
    typealias F = SimulatedFixtures
    let start = F.afternoon + .seconds(10)

    /// A market advanced once to `start`, with `fault` injected right after.
    func market(injecting fault: SimulatedFault?) -> SimulatedMarket {
        var market = SimulatedMarket(seed: 21, symbols: [F.aapl, F.msft])
        _ = market.advance(to: start)
        if let fault { market.inject(fault, at: start) }
        return market
    }

    /// 260 s from 10 s into a minute: three whole minute bars (the first, partial, is not sent).
    func run(_ fault: SimulatedFault?, for duration: Duration = .seconds(260)) -> [MarketEvent] {
        var market = market(injecting: fault)
        return F.run(&market, from: start + .milliseconds(250), for: duration)
    }

    @Test func crossedQuoteHitsExactlyTheNextQuote() {
        let events = run(.crossedQuote(F.aapl), for: .seconds(5))
        let quotes = F.quotes(events, F.aapl)
        #expect(quotes.first.map { $0.bid! > $0.ask! } == true)
        #expect(quotes.filter { $0.bid! > $0.ask! }.count == 1)
        #expect(F.quotes(events, F.msft).allSatisfy { $0.bid! < $0.ask! })
    }

    @Test func badBarHitsExactlyTheNextMinuteBar() {
        let bars = F.bars(run(.badBar(F.aapl)), F.aapl)
        #expect(bars.count == 3)
        #expect(bars.first.map { $0.high < $0.low } == true)
        #expect(bars.filter { $0.high < $0.low }.count == 1)
    }

    @Test(arguments: [1, 2])
    func barGapDropsExactlyTheNextMinutes(minutes: Int) {
        let normal = F.bars(run(nil), F.aapl)
        let gapped = F.bars(run(.barGap(F.aapl, minutes: minutes)), F.aapl)
        #expect(normal.count == 3)
        #expect(gapped == Array(normal.dropFirst(minutes)))
        #expect(F.bars(run(.barGap(F.aapl, minutes: minutes)), F.msft) == F.bars(run(nil), F.msft))
    }

    @Test func stallSilencesTheSymbolForItsDuration() {
        var market = market(injecting: .stall(F.aapl, .seconds(5)))
        var during: [MarketEvent] = []
        var now = start + .milliseconds(250)
        while now < start + .seconds(5) {
            during += market.advance(to: now)
            now = now + .milliseconds(250)
        }
        let after = F.run(&market, from: now, for: .seconds(5))
        #expect(during.filter { $0.symbol == F.aapl }.isEmpty)
        #expect(!F.quotes(during, F.msft).isEmpty)
        let resumed = F.quotes(after, F.aapl)
        #expect(resumed.count > 10)
        #expect(resumed.allSatisfy { $0.exchangeTime >= start + .seconds(5) })
        #expect(market.quote(for: F.aapl, at: now) != nil)
    }

    @Test func stallWithoutDurationLastsUntilCleared() {
        var market = market(injecting: .stall(F.aapl, nil))
        #expect(market.quote(for: F.aapl, at: start + .seconds(1)) == nil)
        let silent = F.run(&market, from: start + .seconds(1), for: .seconds(100))
        #expect(silent.filter { $0.symbol == F.aapl }.isEmpty)
        market.clearFaults()
        let back = market.advance(to: start + .seconds(102))
        #expect(!F.quotes(back, F.aapl).isEmpty)
    }

    @Test func spikeMultipliesExactlyOneValue() throws {
        let normal = run(nil, for: .seconds(5)).filter { $0.symbol == F.aapl }
        let spiked = run(.spike(F.aapl, factor: 10), for: .seconds(5)).filter { $0.symbol == F.aapl }
        #expect(normal.count == spiked.count)
        let changed = zip(normal, spiked).filter { $0 != $1 }
        let high = spiked.filter { F.price($0) > 5 * F.price(normal[0]) }
        #expect(high.count == 1)
        let (before, after) = try #require(zip(normal, spiked).first { $0 != $1 })
        #expect(abs(F.price(after) / F.price(before) - 10) < 0.01)
        // The spiked value and the quotes that carry the (unspiked) last trade are the only differences.
        #expect(changed.allSatisfy { $0.0 == before || F.price($0.0) == F.price($0.1) })
    }

    @Test func outageSilencesTheMarketUntilItEnds() {
        var market = market(injecting: .outage(.seconds(30)))
        #expect(market.isDown(at: start + .seconds(29)))
        #expect(market.outageEnd(at: start) == start + .seconds(30))
        #expect(market.advance(to: start + .seconds(10)).isEmpty)
        #expect(!market.advance(to: start + .seconds(31)).isEmpty)
        #expect(!market.isDown(at: start + .seconds(31)))
    }

    @Test func offsetShiftsEveryQuoteOfTheSymbolUntilCleared() {
        var plain = market(injecting: nil)
        var shifted = market(injecting: .offset(F.aapl, percent: 2))
        let reference = F.quotes(F.run(&plain, from: start + .milliseconds(250), for: .seconds(5)), F.aapl)
        let offset = F.quotes(F.run(&shifted, from: start + .milliseconds(250), for: .seconds(5)), F.aapl)
        #expect(!offset.isEmpty && offset.count == reference.count)
        for (a, b) in zip(reference, offset) {
            #expect(abs(b.mid! / a.mid! - 1.02) < 0.0005, "every quote 2% up")
            #expect(b.bid! < b.ask!)
        }
        shifted.clearFaults()
        let after = F.quotes(F.run(&shifted, from: start + .seconds(6), for: .seconds(2)), F.aapl)
        let expected = F.quotes(F.run(&plain, from: start + .seconds(6), for: .seconds(2)), F.aapl)
        #expect(after.map(\.mid) == expected.map(\.mid), "cleared: back to the true price")
    }

    @Test func clearFaultsDropsPendingFaults() {
        var market = market(injecting: .crossedQuote(F.aapl))
        market.inject(.badBar(F.aapl), at: start)
        market.inject(.outage(.seconds(60)), at: start)
        market.clearFaults()
        let events = F.run(&market, from: start + .seconds(1), for: .seconds(130))
        #expect(F.quotes(events, F.aapl).allSatisfy { $0.bid! < $0.ask! })
        #expect(F.bars(events, F.aapl).allSatisfy { $0.high >= $0.low })
    }
}
