import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

@Suite("Alert storage", .stopsItsRigs)
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
        let rig = ServiceRig([("alert-monitor", monitor)])
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
        await rig.stop()
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
        let rig = ServiceRig([("alert-monitor", monitor)])
        let snapshot = try await withSafetyLimit { await state.firstSnapshot { !$0.earlierAlerts.isEmpty } }
        #expect(snapshot?.earlierAlerts == [leftOpen, cleared], "newest first, as stored")
        #expect(snapshot?.alerts.isEmpty == true, "earlier alerts are history, not this run's alerts")
        #expect(snapshot?.openAlerts.isEmpty == true)
        await rig.stop()
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

    /// A transition is logged and stored by the change that caused it: the pipeline writes it
    /// with the batch whose facts moved the source, not at some later tick.
    @Test func thePipelineLogsAndStoresEachTransitionWithTheBatchThatCausedIt() async throws {
        let clock = ManualClock()
        let state = MarketState(
            watchlist: [F.symbol("AAPL")], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let sink = RecordingStoreSink()
        let capture = LogCapture()
        let pipeline = IngestPipeline(state: state, sink: sink, timeSource: clock, logger: capture.logger())
        var validator = Validator()
        let quote = F.quote(at: clock.now())
        let facts: [HealthFact] = [
            .delivered(.simulated, .init(count: 1, path: .stream, at: clock.now())),
            .failed(
                .simulated, .init(.provider(.rateLimited(retryAfter: nil)), message: "HTTP 429: pausing 60s", at: clock.now()))
        ]
        await pipeline.process(IngestBatch(events: [.quote(quote)], health: facts), with: &validator)
        #expect(sink.batches.count == 1, "the values and the transitions they came with: one write")
        let written = try #require(sink.batches.first)
        #expect(written.quotes == [quote])
        #expect(written.transitions.map(\.to) == [.streaming, .rateLimited])
        #expect(written.transitions.first?.from == .starting)
        #expect(written.transitions.last?.detail == "HTTP 429: pausing 60s")
        #expect(capture.text.contains("source SIM starting -> streaming"))
        #expect(capture.text.contains("source SIM streaming -> rate-limited"))
        #expect(capture.all.last?.hasPrefix("warning") == true)
        // Handed out once: a batch that moves nothing stores no transition, and the tick has none.
        await pipeline.process(IngestBatch(health: [.rateLimit(.simulated, remaining: 3)]), with: &validator)
        #expect(await state.tick().transitions.isEmpty)
        #expect(sink.batches.flatMap(\.transitions).count == 2)
    }
}
