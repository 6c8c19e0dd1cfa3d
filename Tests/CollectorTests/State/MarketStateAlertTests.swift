import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("MarketState alerts and rates")
struct MarketStateAlertTests {
    /// baseTime is Monday 15:00 UTC: the US market is open.
    func makeState(_ clock: FixedTimeSource, symbols: [String] = ["AAPL", "BTC-USD"]) -> MarketState {
        MarketState(
            watchlist: symbols.map(F.symbol), sources: [.init(id: .simulated, kind: "simulated", priority: 1)],
            settings: .init(staleAfter: .seconds(60)), timeSource: clock)
    }

    @Test func silentSymbolRaisesThenClears() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        await state.apply(
            accepted: [
                .quote(F.quote("AAPL", at: clock.now())), .quote(F.quote("BTC-USD", at: clock.now()))
            ], health: [.delivered(.simulated, .init(count: 2, path: .stream, at: clock.now()))])
        #expect(await state.evaluateAlerts() == false)

        clock.advance(by: .seconds(61))
        await state.apply(
            accepted: [.quote(F.quote("BTC-USD", at: clock.now()))],
            health: [.delivered(.simulated, .init(count: 1, path: .stream, at: clock.now()))])
        #expect(await state.evaluateAlerts() == true)
        var alerts = await state.snapshot().alerts
        #expect(alerts.map(\.id) == ["symbol-silent:AAPL"])
        #expect(alerts.first?.message == "no new value for 1m while its market is open (threshold 1m)")
        #expect(alerts.first?.raisedAt == clock.now())
        #expect(alerts.first?.isOpen == true)
        #expect(await state.evaluateAlerts() == false, "an open alert is not raised twice")

        // Values again: the alert clears once they have kept arriving for 15 s (hysteresis).
        for _ in 0..<4 {
            clock.advance(by: .seconds(5))
            await state.apply(accepted: [.quote(F.quote("AAPL", at: clock.now()))])
            await state.evaluateAlerts()
        }
        alerts = await state.snapshot().alerts
        #expect(alerts.count == 1, "a cleared alert stays visible")
        #expect(alerts.first?.clearedAt == clock.now())
        #expect(await state.snapshot().openAlerts.isEmpty)
    }

    @Test func closedMarketRaisesNoFreshnessAlert() async {
        // Saturday: equities closed, crypto open.
        let clock = FixedTimeSource(F.baseTime + .seconds(5 * 86_400))
        let state = makeState(clock)
        clock.advance(by: .seconds(120))
        await state.evaluateAlerts()
        let ids = await state.snapshot().alerts.map(\.id)
        #expect(ids == ["symbol-silent:BTC-USD"], "AAPL's market is closed; BTC-USD never closes")
    }

    @Test func downAndSilentSources() async {
        let clock = FixedTimeSource()
        let state = MarketState(
            watchlist: [],
            sources: [
                .init(id: "alpaca", kind: "alpaca", priority: 1, state: .noKey, detail: "set APCA_API_KEY_ID"),
                .init(id: .simulated, kind: "simulated", priority: 2)
            ], timeSource: clock)
        await state.apply(health: [.delivered(.simulated, .init(count: 1, path: .stream, at: clock.now()))])
        clock.advance(by: .seconds(90))
        await state.evaluateAlerts()
        var alerts = await state.snapshot().alerts
        #expect(Set(alerts.map(\.id)) == ["source-down:ALPACA", "source-silent:SIM"])
        #expect(alerts.first { $0.id == "source-down:ALPACA" }?.severity == .warning)

        await state.apply(health: [.failed(.simulated, .init(.broken, message: "outage", at: clock.now()))])
        await state.evaluateAlerts()
        alerts = await state.snapshot().alerts
        let open = alerts.filter(\.isOpen).map(\.id)
        #expect(Set(open) == ["source-down:ALPACA", "source-down:SIM"])
        #expect(alerts.first { $0.id == "source-down:SIM" }?.severity == .error)
        #expect(alerts.first { $0.id == "source-silent:SIM" }?.isOpen == false)
    }

    @Test func ratesCountTheLastWindow() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        for second in 0..<20 {
            let at = clock.now() + .seconds(Int64(second))
            await state.apply(health: [.delivered(.simulated, .init(count: 10, path: .stream, at: at))])
        }
        await state.apply(health: [
            .failed(.simulated, .init(.retrying, message: "x", at: clock.now())),
            .failed(.simulated, .init(.retrying, message: "y", at: clock.now() + .seconds(19)))
        ])
        clock.advance(by: .seconds(19))
        var health = await state.snapshot().sources.first
        #expect(health?.messagesPerSecond == 11, "110 values in the last 10 s (seconds 9 to 19)")
        #expect(health?.errorsLastMinute == 2)
        clock.advance(by: .seconds(50))
        health = await state.snapshot().sources.first
        #expect(health?.errorsLastMinute == 1)
        #expect(health?.messagesPerSecond == 0)
        #expect(health?.errorCount == 2)
        #expect(health?.state == .degraded)
        #expect(health?.transitions == 2, "starting -> streaming -> degraded")
        #expect(health?.stateSince == MarketFixtures.baseTime)
    }

    @Test func latencyPercentilesOverTheLastMinute() async {
        let clock = FixedTimeSource()
        let state = makeState(clock)
        for i in 1...100 {
            await state.apply(health: [
                .delivered(.simulated, .init(count: 1, path: .stream, roundTripMilliseconds: Double(i), at: clock.now()))
            ])
        }
        var health = await state.snapshot().sources.first
        #expect(health?.latencyP50Milliseconds == 50)
        #expect(health?.latencyP95Milliseconds == 95)
        #expect(health?.latencyMilliseconds == 100, "the last one")
        clock.advance(by: .seconds(61))
        health = await state.snapshot().sources.first
        #expect(health?.latencyP50Milliseconds == nil, "older than a minute: out of the window")
    }
}
