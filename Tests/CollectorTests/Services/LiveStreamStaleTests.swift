import Collector
import CollectorTestSupport
import ProviderTestSupport
import Testing

@Suite("Live stream stale with a stand-in poller", .serialized, .stopsItsRigs)
struct LiveStreamStaleTests {
    /// A dropped connection shows as degraded until the poller standing in delivers, and a stream
    /// that stays connected and says nothing while the market is open is shown as stale, then reconnected.
    @Test func aStaleStreamIsShownEvenWhileThePollerStandsIn() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
            await peer.waitUntilClientCloses()  // subscribed, then silent
        }
        let clock = ManualClock()  // Monday 10:00 in New York: the market is open
        let aapl = MarketFixtures.symbol("AAPL")
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock) {
            $0.pollingFallback = true
        }
        let (state, status) = (rig.state, rig.status)
        try await withSafetyLimit { await ManualClock.wait { status.isConnected } }
        try await withSafetyLimit { await clock.waitForSleeper(named: "silence ALPACA") }
        clock.advance(by: .seconds(30))
        let stale = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .degraded } }
        #expect(stale?.sources.first?.detail?.contains("the stream is stale; reconnect 1 in 1s") == true)
        let counted = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.stream?.reconnects == 1 } }
        #expect(counted?.sources.first?.stream?.coalesced == 0)
        await rig.stop()
        await server.stop()
    }

    /// A connection that is gone stops reading `streaming` at once, not when the stand-in poller's
    /// next round happens to come (a minute later with a 60 s poll).
    @Test func aDroppedStreamStopsReadingStreamingAtOnce() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
            _ = await peer.receive()  // the subscription; then the server dies
        }
        let clock = ManualClock()
        let aapl = MarketFixtures.symbol("AAPL")
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock) {
            $0.pollingFallback = true
        }
        let state = rig.state
        let streaming = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .streaming } }
        #expect(streaming != nil)
        // No time passes: the drop alone moves the source out of `streaming`.
        let dropped = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state != .streaming } }
        let health = try #require(dropped?.sources.first)
        #expect(health.state == .degraded, "the poller stands in: degraded until it delivers")
        #expect(health.detail?.contains("stream down: the server closed the connection") == true, "\(health.detail ?? "")")
        #expect(health.detail?.contains("polling meanwhile") == true)
        #expect(clock.elapsed == .zero)
        await rig.stop()
        await server.stop()
    }
}
