import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("MarketState")
struct MarketStateTests {
    let aapl = F.symbol("AAPL")
    let msft = F.symbol("MSFT")

    func makeState(
        _ clock: FixedTimeSource,
        sources: [MarketState.SourceEntry] = [
            .init(id: "alpaca", kind: "alpaca", priority: 10), .init(id: .simulated, kind: "simulated", priority: 100)
        ]
    ) -> MarketState {
        MarketState(
            watchlist: [aapl, msft], sources: sources,
            settings: .init(staleAfter: .seconds(60), recentBarLimit: 5, anomalyLimit: 3), timeSource: clock)
    }

    @Test func emptyStateHasNoDataForEverySymbol() async {
        let state = makeState(FixedTimeSource())
        let snapshot = await state.snapshot()
        #expect(snapshot.generation == 0)
        #expect(snapshot.symbols.map(\.symbol) == [aapl, msft])
        #expect(snapshot.symbols.allSatisfy { $0.quality == .noData && $0.selected == nil })
        #expect(snapshot.sources.map(\.source) == ["alpaca", .simulated], "sources in priority order")
        #expect(!snapshot.everySymbolHasValue)
    }

    @Test func preferredSourceWinsWhileFresh() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let t = clock.now()
        await state.apply(accepted: [
            .quote(F.quote(source: .simulated, bid: 100, ask: 100.1, last: 100.05, at: t)),
            .quote(
                F.quote(
                    source: "alpaca", bid: 100.01, ask: 100.11, last: 100.06, at: t - .seconds(2), receivedAt: t - .seconds(2)))
        ])
        var snapshot = await state.snapshot()
        let row = snapshot.symbol(aapl)
        #expect(row?.selected?.source == "alpaca", "priority 10 beats 100")
        #expect(row?.quotes.map(\.source) == ["alpaca", .simulated])
        #expect(row?.age(at: snapshot.takenAt) == .seconds(2))
        #expect(row?.quality == .clean)

        // The preferred source goes quiet past the stale threshold: the fresh one is shown.
        clock.advance(by: .seconds(59))
        await state.apply(accepted: [.quote(F.quote(source: .simulated, at: clock.now()))])
        snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.selected?.source == .simulated)
    }

    @Test func downSourceIsNotSelectedEvenIfFresh() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let t = clock.now()
        await state.apply(
            accepted: [.quote(F.quote(source: "alpaca", at: t)), .quote(F.quote(source: .simulated, at: t))],
            health: [.failed("alpaca", .init(.broken, message: "connection refused", at: t))])
        let snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.selected?.source == .simulated)
        let alpaca = snapshot.sources.first { $0.source == "alpaca" }
        #expect(alpaca?.state == .down)
        #expect(alpaca?.errorCount == 1)
        #expect(alpaca?.lastError == "connection refused")
    }

    @Test func staleWhenOnlyOldValues() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(accepted: [.quote(F.quote(at: clock.now()))])
        clock.advance(by: .seconds(61))
        let snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.quality == .stale)
        #expect(snapshot.symbol(aapl)?.selected != nil, "a stale value is still shown, never blanked")
    }

    @Test func quarantineFlagsTheSymbolAndIsBounded() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let bad = MarketEvent.quote(F.quote(bid: 2, ask: 1))
        var validator = Validator()
        let result = validator.validate(Array(repeating: bad, count: 5), origin: .live, at: clock.now())
        await state.apply(accepted: [.quote(F.quote(at: clock.now()))], anomalies: result.anomalies)
        let snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.quality == .quarantined)
        #expect(snapshot.symbol(aapl)?.anomalyCount == 5)
        #expect(snapshot.recentAnomalies.count == 3, "bounded by anomalyLimit")
        #expect(snapshot.anomalyCount == 5)
        #expect(snapshot.quarantinedCount == 5)
        clock.advance(by: .seconds(301))
        await state.apply(accepted: [.quote(F.quote(at: clock.now()))])
        #expect(await state.snapshot().symbol(aapl)?.quality == .clean, "the flag clears after the window")
    }

    @Test func barsAreBoundedOrderedAndGiveChangeAndVolume() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let today = clock.now().startOfUTCDay
        // Monday: the previous session is Friday's.
        let daily = F.bar(timeframe: .oneDay, start: today - .seconds(3 * 86_400), open: 90, high: 96, low: 89, close: 95)
        let minutes = F.minuteBars(count: 8, start: clock.now() - .seconds(600))
        // Delivered out of order: newest first, then older, with one repeated start.
        await state.apply(accepted: [.bar(minutes[7]), .bar(daily)] + minutes.prefix(7).map(MarketEvent.bar) + [.bar(minutes[3])])
        await state.apply(accepted: [.quote(F.quote(last: 99.75, at: clock.now()))])
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.recentCloses == minutes.suffix(5).map(\.close), "5 newest bars kept, oldest first")
        #expect(row?.lastBar == minutes[7])
        #expect(row?.previousClose == 95)
        #expect(row?.change == 99.75 - 95)
        #expect(abs((row?.changePercent ?? 0) - (4.75 / 95 * 100)) < 1e-9)
        #expect(row?.dayVolume == minutes.suffix(5).reduce(0) { $0 + $1.volume })
    }

    @Test func previousSessionBarWinsOverQuoteFieldAndQuoteVolumeOverBars() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let friday = clock.now().startOfUTCDay - .seconds(3 * 86_400)
        await state.apply(accepted: [
            .bar(F.bar(timeframe: .oneDay, start: friday - .seconds(86_400), close: 40)),
            .bar(F.bar(timeframe: .oneDay, start: friday, close: 50)),
            .bar(F.bar(timeframe: .oneDay, start: clock.now().startOfUTCDay - .seconds(86_400), close: 60)),  // a Sunday bar is no session
            .quote(F.quote(last: 100, at: clock.now(), previousClose: 80, dayVolume: 12_345))
        ])
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.previousClose == 50)
        #expect(
            row?.previousCloseSource
                == PreviousClose(close: 50, source: .simulated, origin: .dailyBar, session: CivilDate(2026, 2, 27)))
        #expect(row?.dayVolume == 12_345)
    }

    /// Saturday: the shown price is Friday's, so CHG is against Thursday's close, whichever source
    /// is shown. Before, ALPACA's quote field gave Thursday's close and, after a failover, SIM's
    /// newest daily bar before the UTC day gave Friday's: the row jumped.
    @Test func previousCloseStaysTheSameAcrossASourceSwitch() async {
        let saturday = Timestamp(rfc3339: "2026-02-28T15:00:00Z")!
        let clock = FixedTimeSource(saturday)
        let state = makeState(clock)
        let fridayClose = Timestamp(rfc3339: "2026-02-27T20:59:00Z")!
        let thursday = saturday.startOfUTCDay - .seconds(2 * 86_400)
        await state.apply(accepted: [
            .bar(F.bar(timeframe: .oneDay, start: thursday, close: 90)),
            .bar(F.bar(timeframe: .oneDay, start: thursday + .seconds(86_400), close: 95)),
            .quote(F.quote(source: "alpaca", last: 95, at: fridayClose, previousClose: 90)),
            .quote(F.quote(source: .simulated, last: 95.01, at: fridayClose))
        ])
        let expected = PreviousClose(close: 90, source: .simulated, origin: .dailyBar, session: CivilDate(2026, 2, 26))
        var row = await state.snapshot().symbol(aapl)
        #expect(row?.selected?.source == "alpaca")
        #expect(row?.previousClose == 90)
        #expect(row?.previousCloseSource == expected)
        await state.apply(health: [.failed("alpaca", .init(.broken, message: "connection refused", at: saturday))])
        row = await state.snapshot().symbol(aapl)
        #expect(row?.selected?.source == .simulated)
        #expect(row?.previousClose == 90)
        #expect(row?.previousCloseSource == expected)
        #expect(row?.change == 95.01 - 90)
    }

    /// Finnhub's free plan: `/quote` carries `pc`, the stream's trades do not. A stream trade
    /// newer than the REST quote used to leave CHG empty (and the REST quote, older, was dropped).
    @Test func finnhubPreviousCloseSurvivesStreamTrades() async {
        let clock = FixedTimeSource()
        let state = makeState(clock, sources: [.init(id: "finnhub", kind: "finnhub", priority: 10)])
        let t = clock.now()
        await state.apply(accepted: [
            .quote(Quote(lastTrade: aapl, source: "finnhub", price: 100.5, exchangeTime: t, receivedAt: t))
        ])
        await state.apply(accepted: [
            .quote(
                Quote(
                    lastTrade: aapl, source: "finnhub", price: 100.4, exchangeTime: t - .seconds(1), receivedAt: t,
                    previousClose: 98))
        ])
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.selected?.price == 100.5)
        #expect(row?.previousClose == 98)
        #expect(
            row?.previousCloseSource
                == PreviousClose(close: 98, source: "finnhub", origin: .quoteField, session: CivilDate(2026, 2, 27)))
        #expect(row?.change == 100.5 - 98)
    }

    @Test func snapshotsArePublishedWithIncreasingGenerations() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let stream = await state.snapshots()
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?.generation == 0)
        await state.apply(accepted: [.quote(F.quote(at: clock.now()))])
        let second = await iterator.next()
        #expect(second?.generation == 1)
        #expect(second?.symbol(aapl)?.selected != nil)
        await state.setWatchlist([msft])
        let third = await iterator.next()
        #expect(third?.generation == 2)
        #expect(third?.symbols.map(\.symbol) == [msft])
    }

    @Test func slowReaderGetsTheNewestSnapshot() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let stream = await state.snapshots()
        for i in 1...10 {
            await state.apply(accepted: [.quote(F.quote(at: clock.now() + .seconds(Int64(i))))])
        }
        var iterator = stream.makeAsyncIterator()
        let next = await iterator.next()
        #expect(next?.generation == 10, "latest wins: the buffered snapshot is the newest")
    }

    @Test func healthCountsDeliveries() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(health: [
            .delivered(.simulated, .init(count: 7, path: .stream, roundTripMilliseconds: 1.5, at: clock.now())),
            .delivered(.simulated, .init(count: 3, path: .stream, roundTripMilliseconds: 2.5, at: clock.now())),
            .rateLimit(.simulated, remaining: 42)
        ])
        let sim = await state.snapshot().sources.first { $0.source == .simulated }
        #expect(sim?.messageCount == 10)
        #expect(sim?.latencyMilliseconds == 2.5)
        #expect(sim?.state == .streaming)
        #expect(sim?.lastSuccess == clock.now())
        #expect(sim?.rateLimitRemaining == 42)
    }
}
