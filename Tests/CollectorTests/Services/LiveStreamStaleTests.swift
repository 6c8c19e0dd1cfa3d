import Collector
import CollectorTestSupport
import ProviderTestSupport
import Testing

@Suite("Live stream stale with a stand-in poller", .serialized)
struct LiveStreamStaleTests {
    /// Dropped connections are the poller's to report (it stands in), but a stream that stays
    /// connected and says nothing while the market is open is shown as stale, then reconnected.
    @Test func aStaleStreamIsShownEvenWhileThePollerStandsIn() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
            await peer.waitUntilClientCloses()  // subscribed, then silent
        }
        let clock = ManualClock()  // Monday 10:00 in New York: the market is open
        let aapl = MarketFixtures.symbol("AAPL")
        let state = MarketState(watchlist: [aapl], sources: [.init(id: "alpaca", kind: "alpaca", priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let status = StreamStatus()
        let service = LiveStreamService(
            provider: AlpacaStream(id: "alpaca", url: server.baseURL + "/v2/iex", credentials: .init(key: "k", secret: "s")),
            transport: HummingbirdWebSocketTransport(logger: .quiet()), watched: WatchedSymbols([aapl]), pipeline: pipeline,
            clock: clock, timeSource: clock,
            settings: LiveStreamSettings(
                jitter: { $0 }, staleAfter: .seconds(30), pollingFallback: true, connectClock: ManualClock()),
            status: status, logger: .quiet())
        let tasks = [Task { await pipeline.run() }, Task { await service.run() }]
        try await withSafetyLimit { await ManualClock.wait { status.isConnected } }
        try await withSafetyLimit { await clock.waitForSleepers(count: 1) }  // the watchdog
        clock.advance(by: .seconds(30))
        let stale = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .degraded } }
        #expect(stale?.sources.first?.detail?.contains("the stream is stale; reconnect 1 in 1s") == true)
        let counted = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.stream?.reconnects == 1 } }
        #expect(counted?.sources.first?.stream?.coalesced == 0)
        tasks[1].cancel()
        pipeline.finish()
        tasks[0].cancel()
        await server.stop()
    }
}
