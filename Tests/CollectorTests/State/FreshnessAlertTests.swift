import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// New York wall-clock time.
private func ny(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Timestamp {
    Timestamp.newYork(year: year, month: month, day: day, hour: hour, minute: minute)!
}

/// Freshness by asset class and session: alerts only while a market expects
/// data, CLOSED instead of STALE otherwise, and hysteresis when data returns.
@Suite("Freshness alerts")
struct FreshnessAlertTests {

    func makeState(
        _ clock: FixedTimeSource, symbols: [String] = ["AAPL"], freshness: FreshnessPolicy = .defaults,
        sources: [MarketState.SourceEntry] = [.init(id: .simulated, kind: "simulated", priority: 1)]
    ) -> MarketState {
        MarketState(
            watchlist: symbols.map(F.symbol), sources: sources,
            settings: .init(freshness: freshness), timeSource: clock)
    }

    /// Quotes for `symbols` from SIM now, with SIM's delivery.
    func deliver(_ state: MarketState, _ clock: FixedTimeSource, _ symbols: [String] = ["AAPL"], source: SourceID = .simulated)
        async
    {
        await state.apply(
            accepted: symbols.map { .quote(F.quote($0, source: source, at: clock.now())) },
            health: [.delivered(source, .init(count: symbols.count, path: .stream, at: clock.now()))])
    }

    func openAlerts(_ state: MarketState) async -> [String] {
        await state.snapshot().openAlerts.map(\.id).sorted()
    }

    @Test func raisedDuringTheRegularSession() async {
        let clock = FixedTimeSource(ny(2026, 11, 24, 10, 0))  // a Tuesday
        let state = makeState(clock)
        await deliver(state, clock)
        clock.advance(by: .seconds(60))
        #expect(await state.evaluateAlerts() == false, "exactly at the threshold is still fresh")
        clock.advance(by: .seconds(60))
        await state.evaluateAlerts()
        let alerts = await state.snapshot().alerts
        #expect(alerts.map(\.id).sorted() == ["source-silent:SIM", "symbol-silent:AAPL"])
        let silent = alerts.first { $0.id == "symbol-silent:AAPL" }
        #expect(silent?.message == "no new value for 2m while its market is open (threshold 1m)")
        #expect(silent?.raisedAt == clock.now())
        #expect(await state.snapshot().symbols[0].quality == .stale)
    }

    /// The same two-minute silence at times the market is closed (or in after-hours,
    /// whose threshold is 5 minutes): no alert, and a closed market shows CLOSED.
    @Test(arguments: [
        ("Saturday", ny(2026, 11, 28, 10, 0), QualityFlag.closed, "closed (weekend)"),
        ("Christmas 2025", ny(2025, 12, 25, 10, 0), .closed, "closed (Christmas)"),
        ("after the 13:00 early close", ny(2026, 11, 27, 14, 0), .clean, "post (early close 13:00)"),
        ("overnight", ny(2026, 11, 24, 22, 0), .closed, "closed")
    ])
    func noAlertWhileTheMarketIsClosed(_ name: String, _ start: Timestamp, _ quality: QualityFlag, _ session: String) async {
        let clock = FixedTimeSource(start)
        let state = makeState(clock)
        await deliver(state, clock)
        clock.advance(by: .seconds(120))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == [], "\(name)")
        let symbol = await state.snapshot().symbols[0]
        #expect(symbol.quality == quality, "\(name)")
        #expect(symbol.session.description == session)
        #expect(symbol.staleReason == nil)
    }

    @Test func theSameSilenceBeforeTheEarlyCloseRaises() async {
        let clock = FixedTimeSource(ny(2026, 11, 27, 12, 55))
        let state = makeState(clock)
        await deliver(state, clock)
        clock.advance(by: .seconds(120))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["source-silent:SIM", "symbol-silent:AAPL"])
        #expect(await state.snapshot().symbols[0].session.description == "open, closes 13:00")
        // 13:00: after-hours, threshold 5 minutes; the silence (5 min) is not beyond it, so both clear.
        clock.set(ny(2026, 11, 27, 13, 0))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == [])
    }

    @Test func extendedHoursUseTheLongerThresholdAndIndicesAreClosed() async {
        let clock = FixedTimeSource(ny(2026, 11, 24, 7, 0))  // pre-market
        let state = makeState(clock, symbols: ["AAPL", "^GSPC"])
        await deliver(state, clock, ["AAPL", "^GSPC"])
        clock.advance(by: .seconds(240))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == [])
        var symbols = await state.snapshot().symbols
        #expect(symbols.map(\.quality) == [.clean, .closed], "an index is calculated only in the regular session")
        #expect(symbols.map(\.staleAfter) == [.seconds(300), nil])
        clock.advance(by: .seconds(61))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["source-silent:SIM", "symbol-silent:AAPL"])
        let alert = await state.snapshot().alerts.first { $0.id == "symbol-silent:AAPL" }
        #expect(alert?.message == "no new value for 5m in pre-market trading (threshold 5m)")
        symbols = await state.snapshot().symbols
        #expect(symbols.map(\.quality) == [.stale, .closed])
    }

    @Test func thresholdsFollowTheAssetClass() async {
        let clock = FixedTimeSource(ny(2026, 11, 24, 10, 0))
        let policy = FreshnessPolicy(equity: .seconds(30), fx: .seconds(120), crypto: .seconds(10), source: .seconds(600))
        let state = makeState(clock, symbols: ["AAPL", "EURUSD=X", "BTC-USD"], freshness: policy)
        await deliver(state, clock, ["AAPL", "EURUSD=X", "BTC-USD"])
        clock.advance(by: .seconds(11))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["symbol-silent:BTC-USD"])
        clock.advance(by: .seconds(20))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["symbol-silent:AAPL", "symbol-silent:BTC-USD"])
        clock.advance(by: .seconds(90))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["symbol-silent:AAPL", "symbol-silent:BTC-USD", "symbol-silent:EURUSD=X"])
    }

    /// One value after a silence does not clear the alert; values that keep
    /// arriving for `clearAfter` (15 s) do. The alert is never raised twice.
    @Test func clearsWithHysteresis() async {
        let clock = FixedTimeSource(ny(2026, 11, 24, 10, 0))
        let state = makeState(clock, symbols: ["BTC-USD"])
        await deliver(state, clock, ["BTC-USD"])
        clock.advance(by: .seconds(61))
        await state.evaluateAlerts()
        let raisedAt = clock.now()
        #expect(await openAlerts(state) == ["source-silent:SIM", "symbol-silent:BTC-USD"])

        // One tick, then silence again: the alert stays open throughout.
        clock.advance(by: .seconds(1))
        await deliver(state, clock, ["BTC-USD"])
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["source-silent:SIM", "symbol-silent:BTC-USD"])
        let recovering = await state.snapshot().alerts.first { $0.id == "symbol-silent:BTC-USD" }
        #expect(recovering?.message == "receiving again since \(clock.now().clockText) UTC; clears after 15s of steady values")
        for _ in 0..<70 {
            clock.advance(by: .seconds(1))
            await state.evaluateAlerts()
        }
        #expect(await openAlerts(state) == ["source-silent:SIM", "symbol-silent:BTC-USD"])

        // Steady values every 5 s: still open after 10 s of them, cleared at 15 s.
        for step in 0...3 {
            if step > 0 { clock.advance(by: .seconds(5)) }
            await deliver(state, clock, ["BTC-USD"])
            await state.evaluateAlerts()
            #expect(
                await openAlerts(state) == (step < 3 ? ["source-silent:SIM", "symbol-silent:BTC-USD"] : []), "after \(step * 5)s")
        }
        let alerts = await state.snapshot().alerts
        #expect(alerts.count == 2, "raised once each, never re-raised")
        #expect(alerts.allSatisfy { $0.raisedAt == raisedAt && $0.clearedAt == clock.now() })
    }

    @Test func anOpenAlertClearsWhenTheMarketCloses() async {
        let clock = FixedTimeSource(ny(2026, 11, 24, 19, 50))  // after-hours
        let state = makeState(clock)
        await deliver(state, clock)
        clock.set(ny(2026, 11, 24, 19, 56))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == ["source-silent:SIM", "symbol-silent:AAPL"])
        clock.set(ny(2026, 11, 24, 20, 0))
        await state.evaluateAlerts()
        #expect(await openAlerts(state) == [])
        #expect(await state.snapshot().alerts.allSatisfy { $0.clearedAt == clock.now() })
        #expect(await state.snapshot().symbols[0].quality == .closed)
    }

    @Test func aClosedMarketDoesNotFailOver() async {
        let clock = FixedTimeSource(ny(2026, 11, 28, 10, 0))  // Saturday
        let state = makeState(
            clock,
            sources: [
                .init(id: .simulated, kind: "simulated", priority: 1), .init(id: "backup", kind: "simulated", priority: 2)
            ])
        await deliver(state, clock)
        clock.advance(by: .seconds(600))
        await deliver(state, clock, source: "backup")
        await state.evaluateAlerts()
        let symbol = await state.snapshot().symbols[0]
        #expect(symbol.selected?.source == .simulated, "the preferred source's last value is as good as any")
        #expect(symbol.quality == .closed)
        #expect(symbol.failoverReason == nil)
        #expect(await openAlerts(state) == [])
    }

    @Test func aSourceIsSilentOnlyWhileAMarketItQuotesIsOpen() async {
        let clock = FixedTimeSource(ny(2026, 11, 28, 10, 0))  // Saturday
        let state = makeState(
            clock, symbols: ["AAPL", "BTC-USD"],
            sources: [
                .init(id: .simulated, kind: "simulated", priority: 1), .init(id: "crypto", kind: "simulated", priority: 2)
            ])
        await deliver(state, clock, ["AAPL"])
        await deliver(state, clock, ["BTC-USD"], source: "crypto")
        clock.advance(by: .seconds(90))
        await state.evaluateAlerts()
        #expect(
            await openAlerts(state) == ["source-silent:CRYPTO", "symbol-silent:BTC-USD"],
            "SIM quotes only AAPL, whose market is closed")
    }

    @Test func aPolledSourceIsNotSilentBetweenItsPolls() async {
        let clock = FixedTimeSource(ny(2026, 11, 28, 10, 0))  // Saturday: only crypto trades
        let state = makeState(
            clock, symbols: ["BTC-USD"],
            sources: [
                .init(id: "hourly", kind: "alphavantage", priority: 1, pollInterval: .seconds(3600)),
                .init(id: "streamed", kind: "simulated", priority: 2)
            ])
        await deliver(state, clock, ["BTC-USD"], source: "hourly")
        await deliver(state, clock, ["BTC-USD"], source: "streamed")
        clock.advance(by: .seconds(30 * 60))
        await state.evaluateAlerts()
        #expect(
            await openAlerts(state) == ["source-silent:STREAMED", "symbol-silent:BTC-USD"], "half an hour is within two polls")
        clock.advance(by: .seconds(91 * 60))
        await state.evaluateAlerts()
        #expect(await openAlerts(state).contains("source-silent:HOURLY"), "two polls missed")
    }
}
