import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

@Suite("Alert storage")
struct AlertStorageTests {

    @Test(arguments: StoreFactory.all)
    func alertsAreStoredAndUpdatedWhenCleared(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            var first = Alert(
                kind: .failover, severity: .warning, subject: "AAPL", message: "shown from BACKUP", raisedAt: F.baseTime)
            let second = Alert(
                kind: .sourceDown, severity: .error, subject: "SIM", message: "SIM is down", raisedAt: F.baseTime + .seconds(5))
            let written = try await store.write(StoreBatch(alerts: [first, second]))
            #expect(written.alertsWritten == 2)
            first.clearedAt = F.baseTime + .seconds(40)
            try await store.write(StoreBatch(alerts: [first]))
            let stored = try await store.recentAlerts(limit: 10)
            #expect(stored == [second, first], "newest first, the failover in its cleared form")
            #expect(try await store.recentAlerts(limit: 1) == [second])
        }
    }

    @Test func theMonitorStoresRaisedAndClearedAlerts() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let state = MarketState(
            watchlist: [aapl], sources: [.init(id: .simulated, kind: "simulated", priority: 1)],
            settings: .init(staleAfter: .seconds(5)), timeSource: clock)
        let sink = RecordingStoreSink()
        let monitor = AlertMonitor(state: state, sink: sink, clock: clock, interval: .seconds(1))
        let task = Task { await monitor.run() }
        defer { task.cancel() }
        for _ in 0..<6 {
            await clock.waitForSleeper(named: "health tick")
            clock.advance(by: .seconds(1))
        }
        _ = try await withSafetyLimit { await state.firstSnapshot { !$0.openAlerts.isEmpty } }
        await state.apply(accepted: [.quote(F.quote(at: clock.now()))])
        await clock.waitForSleeper(named: "health tick")
        clock.advance(by: .seconds(1))
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.openAlerts.isEmpty } }
        await clock.waitForSleeper(named: "health tick")
        let stored = sink.batches.flatMap(\.alerts)
        #expect(stored.map(\.id) == ["symbol-silent:AAPL", "symbol-silent:AAPL"])
        #expect(stored.first?.clearedAt == nil)
        #expect(stored.last?.clearedAt == clock.now(), "the clearing is stored too")
    }

    @Test func aLaterRunShowsTheAlertsEarlierRunsStored() async throws {
        let clock = ManualClock()
        let store = InMemoryStore()
        var cleared = Alert(
            kind: .failover, severity: .warning, subject: "AAPL", message: "shown from BACKUP",
            raisedAt: F.baseTime - .seconds(3600))
        cleared.clearedAt = F.baseTime - .seconds(3000)
        let leftOpen = Alert(
            kind: .sourceDown, severity: .error, subject: "YAHOO", message: "YAHOO is down", raisedAt: F.baseTime - .seconds(600))
        try await store.write(StoreBatch(alerts: [cleared, leftOpen]))

        let state = MarketState(
            watchlist: [F.symbol("AAPL")], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let monitor = AlertMonitor(state: state, sink: nil, store: store, clock: clock, interval: .seconds(1))
        let task = Task { await monitor.run() }
        defer { task.cancel() }
        let snapshot = try await withSafetyLimit { await state.firstSnapshot { !$0.earlierAlerts.isEmpty } }
        #expect(snapshot?.earlierAlerts == [leftOpen, cleared], "newest first, as stored")
        #expect(snapshot?.alerts.isEmpty == true, "earlier alerts are history, not this run's alerts")
        #expect(snapshot?.openAlerts.isEmpty == true)
    }

    @Test(arguments: StoreFactory.all)
    func healthTransitionsAreStoredInOrder(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let down = HealthTransition(
                source: "yahoo", from: .polling, to: .down, detail: "YAHOO /v7/finance/quote HTTP 503", at: F.baseTime)
            let back = HealthTransition(source: "yahoo", from: .down, to: .polling, detail: nil, at: F.baseTime + .seconds(30))
            let written = try await store.write(StoreBatch(transitions: [down, back]))
            #expect(written.transitionsWritten == 2)
            #expect(try await store.recentTransitions(limit: 10) == [back, down])
            #expect(try await store.recentTransitions(limit: 1) == [back])
        }
    }

    @Test func theMonitorLogsAndStoresEveryTransitionWithItsReason() async throws {
        let clock = ManualClock()
        let state = MarketState(
            watchlist: [F.symbol("AAPL")], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let sink = RecordingStoreSink()
        let capture = LogCapture()
        let monitor = AlertMonitor(state: state, sink: sink, clock: clock, interval: .seconds(1), logger: capture.logger())
        let task = Task { await monitor.run() }
        defer { task.cancel() }
        await state.apply(health: [
            .delivered(.simulated, .init(count: 1, path: .stream, at: clock.now())),
            .failed(
                .simulated, .init(.provider(.rateLimited(retryAfter: nil)), message: "HTTP 429: pausing 60s", at: clock.now()))
        ])
        await clock.waitForSleeper(named: "health tick")
        clock.advance(by: .seconds(1))
        await clock.waitForSleeper(named: "health tick")
        let stored = sink.batches.flatMap(\.transitions)
        #expect(stored.map(\.to) == [.streaming, .rateLimited])
        #expect(stored.first?.from == .starting)
        #expect(stored.last?.detail == "HTTP 429: pausing 60s")
        #expect(capture.text.contains("source SIM streaming -> rate-limited"))
        #expect(capture.all.last?.hasPrefix("warning") == true)
        // Handed out once: the next tick has nothing new to store.
        clock.advance(by: .seconds(1))
        await clock.waitForSleeper(named: "health tick")
        #expect(sink.batches.flatMap(\.transitions).count == 2)
    }
}
