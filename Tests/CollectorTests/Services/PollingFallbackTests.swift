import CollectorTestSupport
import Logging
import Testing
@testable import Collector

private let F = MarketFixtures.self

@Suite("Polling fallback for a stream")
struct PollingFallbackTests {
    @Test func thePollerStandsInOnlyWhileTheStreamIsDown() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedQuoteSource { _, symbols in
            symbols.map { F.quote($0.rawValue, source: "scripted", at: clock.now(), receivedAt: clock.now()) }
        }
        let status = StreamStatus()
        status.set(true)
        let state = MarketState(watchlist: [aapl], sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let poller = PollingCollector(
            source: source, watched: WatchedSymbols([aapl]), pipeline: pipeline, clock: clock, timeSource: clock,
            interval: .seconds(10), standInFor: status, logger: .quiet())
        let tasks = [Task { await pipeline.run() }, Task { await poller.run() }]
        for _ in 0..<3 {
            try await withSafetyLimit { await clock.waitForSleepers(count: 1) }
            clock.advance(by: .seconds(10))
        }
        try await withSafetyLimit { await clock.waitForSleepers(count: 1) }
        #expect(source.requests.isEmpty, "no polling while the stream is connected")
        status.set(false)
        clock.advance(by: .seconds(10))
        try await withSafetyLimit { await ManualClock.wait { !source.requests.isEmpty } }
        #expect(source.requests == [[aapl]])
        tasks[1].cancel()
        pipeline.finish()
        tasks[0].cancel()
    }
}
