import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// Selection, consensus and last known good through the state actor.
@Suite("MarketState failover and consensus")
struct MarketStateFailoverTests {
    let aapl = F.symbol("AAPL")

    func makeState(_ clock: FixedTimeSource) -> MarketState {
        MarketState(
            watchlist: [aapl],
            sources: [
                .init(id: "primary", kind: "simulated", priority: 1), .init(id: "backup", kind: "simulated", priority: 2),
                .init(id: "third", kind: "simulated", priority: 3)
            ],
            settings: .init(staleAfter: .seconds(60), selection: .init(holdTime: .seconds(10), returnAfter: .seconds(30))),
            timeSource: clock)
    }

    func quotes(_ mids: [(SourceID, Double)], at time: Timestamp) -> [MarketEvent] {
        mids.map { .quote(F.quote(source: $0.0, bid: $0.1 - 0.01, ask: $0.1 + 0.01, last: $0.1, at: time)) }
    }

    @Test func stalledPrimaryFailsOverWithAnAlertAndReturns() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(accepted: quotes([("primary", 100), ("backup", 100.01)], at: clock.now()))
        #expect(await state.snapshot().symbol(aapl)?.selected?.source == "primary")

        // The primary goes silent; the backup keeps quoting.
        for _ in 0..<62 {
            clock.advance(by: .seconds(1))
            await state.apply(accepted: quotes([("backup", 100.02)], at: clock.now()))
            _ = await state.tick()
        }
        var snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.selected?.source == "backup")
        #expect(snapshot.symbol(aapl)?.failoverReason?.contains("PRIMARY stale") == true)
        #expect(snapshot.openAlerts.map(\.id) == ["failover:AAPL"])

        // The primary is back: after 30 s usable, it is shown again and the alert clears.
        for _ in 0..<31 {
            clock.advance(by: .seconds(1))
            await state.apply(accepted: quotes([("primary", 100.03), ("backup", 100.02)], at: clock.now()))
            _ = await state.tick()
        }
        snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.selected?.source == "primary")
        #expect(snapshot.symbol(aapl)?.failoverReason == nil)
        #expect(snapshot.openAlerts.isEmpty)
        #expect(snapshot.alerts.first { $0.id == "failover:AAPL" }?.clearedAt != nil)
    }

    @Test func offsetSourceRaisesOneDisagreementThatClears() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let derived = await state.apply(accepted: quotes([("primary", 100), ("backup", 100.01), ("third", 102)], at: clock.now()))
            .anomalies
        #expect(derived.map(\.rule) == ["sources-disagree"])
        #expect(derived.first?.source == "third")
        #expect(derived.first?.quarantined == false, "a disagreement is flagged, not hidden")
        #expect(derived.first?.message.contains("THIRD 102 vs median 100.01 (+199 bps > 51 bps)") == true)
        var snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.quality == .disagree)
        #expect(snapshot.symbol(aapl)?.disagreeingSources == ["third"])
        #expect(snapshot.symbol(aapl)?.selected?.source == "primary")
        _ = await state.tick()
        #expect(await state.snapshot().openAlerts.map(\.id) == ["sources-disagree:AAPL"])

        clock.advance(by: .seconds(1))
        let again = await state.apply(accepted: quotes([("third", 102.01)], at: clock.now())).anomalies
        #expect(again.isEmpty, "an ongoing disagreement is recorded once")
        clock.advance(by: .seconds(1))
        await state.apply(accepted: quotes([("third", 100.02)], at: clock.now()))
        _ = await state.tick()
        snapshot = await state.snapshot()
        #expect(snapshot.symbol(aapl)?.quality == .clean)
        #expect(snapshot.openAlerts.isEmpty)
    }

    @Test func anOutlierIsNotShownEvenWhenPreferred() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(accepted: quotes([("primary", 103), ("backup", 100), ("third", 100.02)], at: clock.now()))
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.disagreeingSources == ["primary"])
        #expect(row?.selected?.source == "backup", "three sources single out the primary: it is not shown")
        #expect(row?.failoverReason?.contains("PRIMARY disagrees with the other sources") == true)
    }

    @Test func twoSourcesThatDisagreeKeepTheSelection() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(accepted: quotes([("primary", 103), ("backup", 100)], at: clock.now()))
        let row = await state.snapshot().symbol(aapl)
        #expect(Set(row?.disagreeingSources ?? []) == ["primary", "backup"])
        #expect(row?.selected?.source == "primary", "with two, neither can be shown to be wrong")
    }

    @Test func smallDifferencesAreNotDisagreements() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let derived = await state.apply(
            accepted: quotes([("primary", 100), ("backup", 100.05), ("third", 99.97)], at: clock.now())
        ).anomalies
        #expect(derived.isEmpty)
        #expect(await state.snapshot().symbol(aapl)?.quality == .clean)
    }

    @Test func lastKnownGoodIsKeptWithItsAgeAndReason() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(accepted: quotes([("primary", 100), ("backup", 100.01)], at: clock.now()))
        clock.advance(by: .seconds(90))
        await state.apply(health: [.failed("backup", .init(.broken, message: "connection refused", at: clock.now()))])
        _ = await state.tick()
        let row = await state.snapshot().symbol(aapl)
        #expect(row?.selected?.last == 100, "the last good value stays on screen")
        #expect(row?.age(at: clock.now()) == .seconds(90))
        #expect(row?.quality == .stale)
        #expect(row?.staleReason == "last known good; PRIMARY stale 1m, BACKUP down: connection refused")
    }

    @Test func aZeroFromABrokenSourceNeverReplacesAGoodValue() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        var validator = Validator()
        let good = validator.validate(quotes([("primary", 100)], at: clock.now()), origin: .live, at: clock.now())
        await state.apply(accepted: good.accepted)
        clock.advance(by: .seconds(1))
        let broken = MarketEvent.quote(F.quote(source: "primary", bid: 0, ask: 0, last: 0, at: clock.now()))
        let result = validator.validate([broken], origin: .live, at: clock.now())
        await state.apply(accepted: result.accepted, anomalies: result.anomalies)
        #expect(await state.snapshot().symbol(aapl)?.selected?.last == 100)
    }
}
