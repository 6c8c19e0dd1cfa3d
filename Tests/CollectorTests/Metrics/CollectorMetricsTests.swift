import Collector
import CollectorTestSupport
import CoreMetrics
import Logging
import MetricsTestKit
import Testing

private let F = MarketFixtures.self
private typealias Name = CollectorMetrics.Name

/// The metrics the core records where things happen, read back from swift-metrics' test factory
/// (injected: nothing is bootstrapped, so suites running beside these record nothing).
@Suite("Collector metrics")
struct CollectorMetricsTests {
    let factory = TestMetrics()
    var metrics: CollectorMetrics { CollectorMetrics(factory: factory) }

    @Test func theIngestPipelineCountsValuesInAndOutPerSourceAndAnomaliesByRule() async throws {
        let clock = FixedTimeSource()
        let yahoo = SourceID("yahoo")
        let state = MarketState(
            watchlist: [F.symbol("AAPL")],
            sources: [.init(id: .simulated, kind: "simulated", priority: 1), .init(id: yahoo, kind: "yahoo", priority: 2)],
            timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, metrics: metrics, logger: Logger.quiet())
        let t = clock.now()
        pipeline.submit(
            IngestBatch(events: [
                .quote(F.quote(last: 100, at: t)),
                .quote(F.quote(bid: 5, ask: 4, at: t + .seconds(1))),  // crossed: quarantined
                .bar(F.bar(start: t)),
                .trade(F.trade(at: t))
            ]))
        pipeline.submit(IngestBatch(path: .poll, events: [.quote(F.quote(source: yahoo, last: 100, at: t))]))
        #expect(try factory.expectGauge(Name.ingestQueue).lastValue == 2, "two batches wait before the pipeline runs")
        pipeline.finish()
        await pipeline.run()

        #expect(try factory.expectCounter(Name.valuesIn, [("source", "sim")]).totalValue == 4)
        #expect(try factory.expectCounter(Name.valuesOut, [("source", "sim")]).totalValue == 3, "the crossed quote stays out")
        #expect(try factory.expectCounter(Name.valuesIn, [("source", "yahoo")]).totalValue == 1)
        #expect(try factory.expectCounter(Name.valuesOut, [("source", "yahoo")]).totalValue == 1)
        #expect(try factory.expectCounter(Name.anomalies, [("rule", "crossed-quote"), ("source", "sim")]).totalValue == 1)
        #expect(try factory.expectGauge(Name.ingestQueue).lastValue == 0, "the queue is empty once processed")
    }

    @Test func aSourceStateIsOneGaugeSetPerState() async throws {
        let clock = FixedTimeSource()
        let state = MarketState(
            watchlist: [F.symbol("AAPL")], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, metrics: metrics, logger: Logger.quiet())
        pipeline.submit(
            IngestBatch(
                events: [.quote(F.quote(at: clock.now()))],
                health: [.delivered(.simulated, .init(count: 1, path: .stream, at: clock.now()))]))
        pipeline.finish()
        await pipeline.run()

        func gauge(_ state: HealthState) throws -> Double? {
            try factory.expectGauge(Name.sourceState, [("source", "sim"), ("state", state.rawValue)]).lastValue
        }
        #expect(try gauge(.streaming) == 1)
        for other in HealthState.allCases where other != .streaming {
            #expect(try gauge(other) == 0, "\(other)")
        }
    }

    @Test func theStoreWriterCountsRowsByKindTimesWritesAndShowsTheBacklog() async throws {
        let store = RecordingStore(failures: 1)
        let clock = ManualClock()
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(1), clock: clock,
            retention: .init(retry: RetryBackoff(initial: .seconds(1), maximum: .seconds(1))), metrics: metrics,
            logger: LogRecorder().logger)
        #expect(try factory.expectCounter(Name.writeFailures).totalValue == 0, "scraped at zero before anything fails")
        #expect(try factory.expectGauge(Name.rowsWaiting).lastValue == 0)
        let running = Task { await writer.run() }
        writer.submit(
            StoreBatch(quotes: [StoreSamples.quote(bid: 1, receivedAt: 1)], bars: [StoreSamples.bar(0), StoreSamples.bar(1)]))
        await writer.flushed()
        #expect(try factory.expectCounter(Name.writeFailures).totalValue == 1)
        #expect(try factory.expectGauge(Name.rowsWaiting).lastValue == 3, "the failed write's rows wait")
        #expect(factory.counters(label: Name.rowsWritten).isEmpty)

        writer.finish()  // the end retries what waits
        await running.value
        #expect(try factory.expectCounter(Name.rowsWritten, [("kind", "bars")]).totalValue == 2)
        #expect(try factory.expectCounter(Name.rowsWritten, [("kind", "quotes")]).totalValue == 1)
        #expect(factory.counters(label: Name.rowsWritten).count == 2, "kinds with no rows are not counted")
        #expect(try factory.expectTimer(Name.writeDuration).values.count == 1, "one successful write timed")
        #expect(try factory.expectGauge(Name.rowsWaiting).lastValue == 0)
        #expect(try factory.expectCounter(Name.rowsDropped).totalValue == 0)
    }

    @Test func aRateLimiterShowsTheBudgetLeftPerAccount() async throws {
        let clock = ManualClock()
        let registry = RateLimiterRegistry(clock: clock, timeSource: clock, metrics: metrics)
        let limiter = registry.limiter(for: "polygon:POLYGON_API_KEY", limit: RateLimit(requests: 5, per: .seconds(60)))
        try await limiter.acquire(maximumWait: .zero)
        try await limiter.acquire(maximumWait: .zero)
        let account = [("account", "polygon:POLYGON_API_KEY")]
        #expect(try factory.expectGauge(Name.budgetRemaining, account).lastValue == 3)
        #expect(try factory.expectGauge(Name.budgetCapacity, account).lastValue == 5)
        await limiter.observe(remaining: 1)
        #expect(try factory.expectGauge(Name.budgetRemaining, account).lastValue == 1, "the provider said fewer are left")
        await limiter.pause(for: .seconds(30))
        #expect(try factory.expectGauge(Name.budgetRemaining, account).lastValue == 0, "nothing can be sent during a pause")
    }
}

/// A stream counts the messages it receives and sends, per source.
@Suite("Stream message metrics", .stopsItsRigs)
struct StreamMessageMetricsTests {
    @Test func aStreamCountsItsMessagesInAndOut() async throws {
        let factory = TestMetrics()
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedSource(connections: [
            [.events([.quote(F.quote(source: "scripted", last: 100, at: clock.now()))])]
        ])
        // The service reads the process's factory when it is made: here the test's, for this task only.
        let rig = withMetricsFactory(factory) {
            CollectorRig(source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        }
        let state = rig.state
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected?.last == 100 } }
        // Both were counted before the value reached the state: the subscription went out on connecting.
        #expect(try factory.expectCounter(Name.streamIn, [("source", "scripted")]).totalValue == 1)
        #expect(try factory.expectCounter(Name.streamOut, [("source", "scripted")]).totalValue == 1, "the subscription")
    }
}
