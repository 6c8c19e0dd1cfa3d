import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// The board's first frame is drawn from the quotes the last run stored (`restore(storedQuotes:)`).
@Suite("MarketState restoring stored quotes")
struct StoredQuoteRestoreTests {
    /// baseTime is Monday 15:00 UTC: the US market is open.
    func makeState(_ clock: FixedTimeSource) -> MarketState {
        MarketState(
            watchlist: ["AAPL", "MSFT"].map(F.symbol), sources: [.init(id: .simulated, kind: "simulated", priority: 1)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
    }

    @Test func storedQuotesAreShownWithoutTouchingHealth() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let earlier = clock.now() - .seconds(7_200)
        let stored = [
            F.quote("AAPL", bid: 150, ask: 150.02, at: earlier, receivedAt: earlier),
            F.quote("TSLA", bid: 200, ask: 200.02, at: earlier, receivedAt: earlier),  // not watched
            F.quote("MSFT", source: "gone", bid: 300, ask: 300.02, at: earlier, receivedAt: earlier),  // no such source
        ]
        let before = await state.snapshot()

        #expect(await state.restore(storedQuotes: stored) == 1)

        let after = await state.snapshot()
        #expect(after.symbol(F.symbol("AAPL"))?.selected?.bid == 150, "the stored value is shown")
        #expect(after.symbol(F.symbol("MSFT"))?.selected == nil)
        #expect(after.symbols.count == 2)
        #expect(after.sources == before.sources, "a stored quote is no news from its source")

        let live = F.quote("AAPL", bid: 151, ask: 151.02, at: clock.now())
        await state.apply(accepted: [.quote(live)], health: [.delivered(.simulated, .init(count: 1, path: .stream, at: clock.now()))])
        #expect(await state.snapshot().symbol(F.symbol("AAPL"))?.selected?.bid == 151, "a live quote replaces it")
    }

    @Test func aStoredQuoteRaisesNoSilenceAlertAtStart() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let earlier = clock.now() - .seconds(7_200)
        await state.restore(storedQuotes: [F.quote("AAPL", at: earlier, receivedAt: earlier)])

        clock.advance(by: .seconds(1))
        await state.evaluateAlerts()
        #expect(await state.snapshot().alerts.isEmpty, "silence counts from the start, as with no value yet")

        clock.advance(by: .seconds(60))
        await state.evaluateAlerts()
        let messages = await state.snapshot().alerts.map(\.message).sorted()
        #expect(messages == [
            "no new value for 1m while its market is open (threshold 1m)",
            "no value yet while its market is open (threshold 1m)",
        ])
    }
}
