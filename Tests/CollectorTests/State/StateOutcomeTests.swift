import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// A health transition is part of the outcome of the call that caused it (`apply`,
/// `setWatchlist`), handed to that caller once; the state keeps none for later.
@Suite("State outcome")
struct StateOutcomeTests {
    let aapl = F.symbol("AAPL")
    let btc = F.symbol("BTC-USD")

    func makeState(_ clock: FixedTimeSource) -> MarketState {
        MarketState(
            watchlist: [aapl, btc],
            sources: [.init(id: "alpaca", kind: "alpaca", priority: 1), .init(id: .simulated, kind: "simulated", priority: 2)],
            timeSource: clock)
    }

    @Test func theApplyThatMovesASourceReturnsItsTransitionsInOrder() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let t = clock.now()
        let outcome = await state.apply(
            accepted: [.quote(F.quote(source: "alpaca", at: t))],
            health: [
                .delivered("alpaca", .init(count: 1, path: .poll, at: t)),
                .rateLimit("alpaca", remaining: 10),  // moves nothing
                .failed("alpaca", .init(.provider(.unauthorized), message: "HTTP 401", at: t)),
                .connected(.simulated, detail: "simulated market")
            ])
        #expect(
            outcome.transitions == [
                HealthTransition(source: "alpaca", from: .starting, to: .polling, detail: nil, at: t),
                HealthTransition(source: "alpaca", from: .polling, to: .down, detail: "HTTP 401", at: t),
                HealthTransition(source: .simulated, from: .starting, to: .streaming, detail: "simulated market", at: t)
            ])
        #expect(outcome.toStore.transitions == outcome.transitions, "stored as they are logged")
    }

    @Test func aTransitionIsHandedOutOnceByTheCallThatCausedIt() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let t = clock.now()
        let moved = await state.apply(health: [.failed("alpaca", .init(.broken, message: "connection refused", at: t))])
        #expect(moved.transitions.map(\.to) == [.down])
        let same = await state.apply(health: [.failed("alpaca", .init(.broken, message: "connection refused", at: t))])
        #expect(same.transitions.isEmpty, "still down: no move")
        #expect(await state.tick().transitions.isEmpty, "the tick hands out nothing the apply already did")
        #expect(await state.apply(accepted: [.quote(F.quote(source: .simulated, at: t))]).transitions.isEmpty)
    }

    @Test func droppingTheSymbolsOfAFailingPartReturnsTheSourcesMoveBack() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        let t = clock.now()
        let failing = await state.apply(health: [
            .delivered("alpaca", .init(count: 1, path: .poll, at: t)),
            .partFailed("alpaca", part: "crypto", symbols: [btc], .init(.provider(.notFound), message: "HTTP 404", at: t))
        ])
        #expect(failing.transitions.map(\.to) == [.polling, .degraded])
        let outcome = await state.setWatchlist([aapl])
        #expect(
            outcome.transitions == [HealthTransition(source: "alpaca", from: .degraded, to: .polling, detail: nil, at: t)],
            "crypto is no longer asked: the source serves what is watched")
        #expect(await state.setWatchlist([aapl]).transitions.isEmpty)
    }
}
