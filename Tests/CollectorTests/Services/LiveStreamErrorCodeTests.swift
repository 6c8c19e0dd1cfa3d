import Collector
import CollectorTestSupport
import ProviderTestSupport
import Testing

/// Each documented Alpaca stream error code, sent by a loopback server on a live
/// connection, and what the service then does with the connection (provider-formats.md §1.6).
@Suite("Live stream error codes", .serialized, .stopsItsRigs)
struct LiveStreamErrorCodeTests {
    enum Outcome: Sendable, CustomStringConvertible {
        case keeps(HealthState)
        case reconnects, pauses, stops
        var description: String {
            switch self {
            case .keeps(let state): "keeps (\(state.rawValue))"
            case .reconnects: "reconnects"
            case .pauses: "pauses"
            case .stops: "stops"
            }
        }
    }

    @Test(arguments: [
        (400, Outcome.keeps(.degraded)), (401, .reconnects), (402, .stops), (403, .keeps(.streaming)), (404, .reconnects),
        (405, .keeps(.degraded)), (406, .pauses), (407, .reconnects), (408, .stops), (409, .stops), (410, .keeps(.degraded)),
        (411, .stops), (429, .pauses), (500, .reconnects)
    ])
    func errorCode(_ code: Int, _ outcome: Outcome) async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
            _ = await peer.receive()
            if peer.index == 1 { try await peer.send(#"[{"T":"error","code":\#(code),"msg":"server says no"}]"#) }
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let aapl = MarketFixtures.symbol("AAPL")
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let (state, status) = (rig.state, rig.status)
        let said = try await withSafetyLimit {
            await state.firstSnapshot { snapshot in
                let said = (snapshot.sources.first?.lastError ?? "") + (snapshot.sources.first?.detail ?? "")
                return said.contains("Alpaca stream error \(code) server says no")
            }
        }
        let health = try #require(said?.sources.first)
        switch outcome {
        case .keeps(let expected):
            #expect(health.state == expected)
            #expect(status.isConnected, "the connection is kept")
            if code == 405 {
                // The symbol left out says why on its own row while the stream is up.
                let reason = said?.symbol(aapl)?.noDataReason
                #expect(
                    reason?.hasPrefix("not subscribed on ALPACA's stream: Alpaca stream error 405 server says no") == true,
                    "\(reason ?? "")")
            }
        case .reconnects:
            #expect(health.lastError?.contains("reconnect 1 in 1s") == true)
            clock.advance(by: .seconds(1))
            try await withSafetyLimit { await server.waitForConnections(2) }
        case .pauses:
            #expect(health.lastError?.contains("next attempt at 15:05:00") == true, "\(health.lastError ?? "")")
            clock.advance(by: .seconds(299))
            try await withSafetyLimit { await clock.waitForPendingSleeper(named: "backoff ALPACA") }  // still pausing
            #expect(server.connectionCount == 1, "no reconnect during the pause")
            clock.advance(by: .seconds(1))
            try await withSafetyLimit { await server.waitForConnections(2) }
        case .stops:
            #expect(health.state == .down)
            // The service has decided: it stopped, and waits for the collector to stop, dialling nothing.
            let logs = rig.logs
            try await withSafetyLimit { await ManualClock.wait { logs.text.contains("live stream stopped until restart") } }
            clock.advance(by: .seconds(600))  // past the longest backoff (30 s): a reconnect would be due
            #expect(!status.isConnected)
            await rig.stop()  // the service has returned: whatever it would dial, it has dialled
            #expect(server.connectionCount == 1, "no reconnect loop after \(code)")
        }
        await rig.stop()
        await server.stop()
    }
}
