import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// A symbol's sparkline, last bar and previous close are built once and reused by later
/// snapshots until its bars, its reported closes, its shown source or its session move.
@Suite("Snapshot rows reuse their bar parts")
struct SnapshotRowMemoTests {
    let aapl = F.symbol("AAPL")

    func makeState(_ clock: FixedTimeSource) -> MarketState {
        MarketState(
            watchlist: [aapl, F.symbol("MSFT")],
            sources: [.init(id: "alpaca", kind: "alpaca", priority: 10), .init(id: .simulated, kind: "simulated", priority: 100)],
            settings: .init(staleAfter: .seconds(60), recentBarLimit: 5), timeSource: clock)
    }

    /// Where a row's closes are stored: the same storage means the array was reused, not rebuilt.
    func storage(_ row: SymbolSnapshot?) -> UnsafeRawPointer? {
        row?.recentCloses.withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) }
    }

    @Test func quotesAloneReuseTheClosesAndANewBarRebuildsThem() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let minutes = F.minuteBars(count: 5, start: clock.now() - .seconds(600))
        await state.apply(accepted: minutes.map(MarketEvent.bar) + [.quote(F.quote(last: 100, at: clock.now()))])
        let first = await state.snapshot().symbol(aapl)
        clock.advance(by: .seconds(1))
        await state.apply(accepted: [.quote(F.quote(last: 101, at: clock.now()))])
        let second = await state.snapshot().symbol(aapl)
        #expect(second?.price == 101)
        #expect(second?.recentCloses == minutes.map(\.close))
        #expect(storage(second) != nil && storage(second) == storage(first), "no bar came: the closes are the same array")

        let next = F.bar(start: minutes[4].start + .seconds(60), close: 104)
        await state.apply(accepted: [.bar(next)])
        let third = await state.snapshot().symbol(aapl)
        #expect(third?.recentCloses == minutes.suffix(4).map(\.close) + [104])
        #expect(third?.lastBar == next)
        #expect(second?.recentCloses == minutes.map(\.close), "an earlier snapshot keeps what it showed")
    }

    @Test func aBarReplacedInsideAFullWindowIsShown() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let minutes = F.minuteBars(count: 5, start: clock.now() - .seconds(600))
        await state.apply(accepted: minutes.map(MarketEvent.bar) + [.quote(F.quote(at: clock.now()))])
        _ = await state.snapshot()
        // Same count, same last bar: only the revision tells the closes moved.
        await state.apply(accepted: [.bar(F.bar(start: minutes[2].start, close: 90))])
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.recentCloses == [minutes[0].close, minutes[1].close, 90, minutes[3].close, minutes[4].close])
    }

    @Test func previousCloseFollowsNewDailyBarsAndReportedCloses() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let friday = clock.now().startOfUTCDay - .seconds(3 * 86_400)  // Monday: Friday is the previous session
        await state.apply(accepted: [.quote(F.quote(last: 100, at: clock.now(), previousClose: 80))])
        #expect(await state.snapshot().symbol(aapl)?.previousClose == 80)
        await state.apply(accepted: [.quote(F.quote(last: 100, at: clock.now(), previousClose: 81))])
        #expect(await state.snapshot().symbol(aapl)?.previousClose == 81, "a new reported close is shown")
        await state.apply(accepted: [.bar(F.bar(timeframe: .oneDay, start: friday, close: 50))])
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.previousClose == 50, "a daily bar of the previous session wins")
        #expect(row?.previousCloseSource?.origin == .dailyBar)
    }

    @Test func aNewShownSourceShowsItsOwnBars() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let start = clock.now() - .seconds(600)
        let sim = F.minuteBars(count: 3, start: start)
        let alpaca = F.minuteBars(source: "alpaca", count: 3, start: start).map { bar in
            F.bar(source: "alpaca", start: bar.start, close: bar.close + 10)
        }
        await state.apply(accepted: (sim + alpaca).map(MarketEvent.bar) + [.quote(F.quote(at: clock.now()))])
        #expect(await state.snapshot().symbol(aapl)?.recentCloses == sim.map(\.close))
        await state.apply(accepted: [.quote(F.quote(source: "alpaca", at: clock.now()))])
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.selected?.source == "alpaca")
        #expect(row?.recentCloses == alpaca.map(\.close), "the preferred source is shown with its bars")
    }

    @Test func theSessionOfANewDayMovesThePreviousClose() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let monday = clock.now().startOfUTCDay
        let friday = monday - .seconds(3 * 86_400)
        await state.apply(accepted: [
            .bar(F.bar(timeframe: .oneDay, start: friday, close: 50)),
            .bar(F.bar(timeframe: .oneDay, start: monday, close: 60))
        ])
        #expect(await state.snapshot().symbol(aapl)?.previousClose == 50, "no price shown: the session of now")
        clock.advance(by: .seconds(86_400))
        #expect(await state.snapshot().symbol(aapl)?.previousClose == 60, "a day later: Monday's close")
    }
}
