import Collector
import CollectorTestSupport
import Logging
import ProviderTestSupport
import Testing

private let F = MarketFixtures.self

/// The server side of Alpaca's protocol, for scripts.
private enum Alpaca {
    static let connected = #"[{"T":"success","msg":"connected"}]"#
    static let authenticated = #"[{"T":"success","msg":"authenticated"}]"#

    /// Greets, reads the auth frame, accepts it, and answers the first subscribe.
    static func handshake(_ peer: LoopbackWebSocketPeer) async throws {
        try await peer.send(connected)
        _ = await peer.receive()
        try await peer.send(authenticated)
        _ = await peer.receive()
        try await peer.send(#"[{"T":"subscription","trades":[],"quotes":[],"bars":[]}]"#)
    }

    static func quote(_ symbol: String, bid: Double, time: String = "2026-03-02T15:00:00.5Z") -> String {
        #"{"T":"q","S":"\#(symbol)","bx":"V","bp":\#(bid),"bs":2,"ax":"V","ap":\#(bid + 0.1),"as":1,"t":"\#(time)","c":["R"],"z":"C"}"#
    }

    static func subscribe(_ symbols: [String], action: String = "subscribe") -> String {
        let list = "[" + symbols.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        return #"{"action":"\#(action)","bars":\#(list),"quotes":\#(list),"trades":\#(list)}"#
    }
}

/// Waits (yielding) until `condition` holds; bounded by `withSafetyLimit`.
private func until(file: String = #fileID, line: Int = #line, _ condition: @escaping @Sendable () -> Bool) async throws {
    try await withSafetyLimit(file: file, line: line) { await ManualClock.wait(until: condition) }
}

@Suite("Live stream service", .serialized, .stopsItsRigs)
struct LiveStreamServiceTests {
    let aapl = F.symbol("AAPL")
    let msft = F.symbol("MSFT")

    @Test func authenticatesSubscribesAndDelivers() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await Alpaca.handshake(peer)
            try await peer.send(
                "[" + Alpaca.quote("AAPL", bid: 180.5) + #","#
                    + #"{"T":"b","S":"AAPL","o":180,"h":181,"l":179.5,"c":180.7,"v":1200,"t":"2026-03-02T14:59:00Z","n":12,"vw":180.4}]"#
            )
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        let aapl = aapl
        let snapshot = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(snapshot?.symbol(aapl)?.selected?.bid == 180.5)
        #expect(snapshot?.sources.first?.state == .streaming)
        #expect(snapshot?.sources.first?.detail?.contains("streaming from ws://127.0.0.1") == true)
        #expect(rig.status.isConnected)
        #expect(
            server.received.first == [
                #"{"action":"auth","key":"\#(LiveStreamRig.key)","secret":"\#(LiveStreamRig.secret)"}"#,
                Alpaca.subscribe(["AAPL"])
            ])
        #expect(server.peers.first?.path == "/v2/test")
        #expect(server.connectionCount == 1)
        await rig.stop()
        await server.stop()
    }

    /// A graceful shutdown (the app quitting, a rig stopping) ends the stream by itself: what
    /// waits is delivered and the connection closed normally, with no reconnect and no cancellation.
    @Test func aGracefulShutdownClosesTheConnection() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await Alpaca.handshake(peer)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let status = rig.status
        try await until { status.isConnected }
        try await withSafetyLimit { await rig.stop() }
        try await until { server.peers.first?.isClosed == true }  // the client closed the connection
        #expect(server.openConnections == 0)
        #expect(server.connectionCount == 1, "no reconnect after the shutdown")
        #expect(!status.isConnected)
        await server.stop()
    }

    @Test func aRefusedKeyStopsWithoutAReconnectLoop() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(Alpaca.connected)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"error","code":402,"msg":"auth failed"}]"#)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        let down = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(down?.sources.first?.state == .down)
        #expect(down?.sources.first?.lastError?.contains("402") == true)
        #expect(down?.sources.first?.lastError?.contains("not reconnecting") == true)
        // The service has decided: it stopped, and waits for the collector to stop, dialling nothing.
        try await until { rig.logs.text.contains("live stream stopped until restart") }
        clock.advance(by: .seconds(600))  // past the longest backoff (30 s): a reconnect would be due
        #expect(!rig.status.isConnected)
        await rig.stop()  // the service has returned: whatever it would dial, it has dialled
        #expect(server.connectionCount == 1, "no reconnect after auth failed")
        let everything = rig.logs.text + (down?.sources.first?.lastError ?? "")
        #expect(
            !everything.contains(LiveStreamRig.key) && !everything.contains(LiveStreamRig.secret), "keys never in logs or errors")
        #expect(rig.logs.text.contains("402"))
        await rig.stop()
        await server.stop()
    }

    @Test func followsWatchlistEditsOnTheOpenConnection() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await Alpaca.handshake(peer)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let watched = WatchedSymbols([aapl])
        let rig = LiveStreamRig(server: server, watched: watched, watchlist: [aapl, msft], clock: clock)
        try await until { server.received.first?.count == 2 }
        watched.set([aapl, msft, F.symbol("NVDA")])
        try await until { server.received.first?.count == 3 }
        watched.set([msft, F.symbol("NVDA")])
        try await until { server.received.first?.count == 4 }
        #expect(
            Array(server.received[0].dropFirst()) == [
                Alpaca.subscribe(["AAPL"]), Alpaca.subscribe(["MSFT", "NVDA"]), Alpaca.subscribe(["AAPL"], action: "unsubscribe")
            ])
        #expect(server.connectionCount == 1, "edits never reconnect")
        await rig.stop()
        await server.stop()
    }

    @Test func aSilentServerIsStaleThenResubscribedWithTheCurrentSymbols() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await Alpaca.handshake(peer)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()  // a Monday, 10:00 in New York: the market is open
        let watched = WatchedSymbols([aapl])
        let rig = LiveStreamRig(server: server, watched: watched, watchlist: [aapl, msft], clock: clock)
        let state = rig.state
        try await until { server.received.first?.count == 2 }
        watched.set([aapl, msft])
        try await until { server.received.first?.count == 3 }
        try await withSafetyLimit { await clock.waitForSleeper(named: "silence ALPACA") }
        clock.advance(by: .seconds(29))
        try await withSafetyLimit { await clock.waitForPendingSleeper(named: "silence ALPACA") }  // not silent long enough yet
        #expect(server.connectionCount == 1)
        clock.advance(by: .seconds(1))
        let stale = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(stale?.sources.first?.lastError?.contains("stream is stale") == true)
        #expect(stale?.sources.first?.lastError?.contains("reconnect 1 in 1s") == true)
        try await withSafetyLimit { await clock.waitForSleeper(named: "backoff ALPACA") }
        clock.advance(by: .seconds(1))
        try await until { server.received.count == 2 && server.received[1].count == 2 }
        #expect(server.received[1][1] == Alpaca.subscribe(["AAPL", "MSFT"]), "the current symbols, not the first ones")
        #expect(rig.transport.maximumOpen == 1)
        let again = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .streaming } }
        #expect(again?.sources.first?.detail?.contains("reconnect 1 after: no market data") == true)
        await rig.stop()
        await server.stop()
    }

    @Test func aSilentServerIsNotStaleWhileTheMarketIsClosed() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await Alpaca.handshake(peer)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2026-03-07T15:00:00Z")!)  // a Saturday
        let watched = WatchedSymbols([aapl])
        let rig = LiveStreamRig(server: server, watched: watched, watchlist: [aapl], clock: clock)
        try await until { rig.status.isConnected }
        for _ in 0..<4 {
            try await withSafetyLimit { await clock.waitForSleeper(named: "silence ALPACA") }
            clock.advance(by: .seconds(30))
        }
        // The watchdog went round again (its fourth silence is queued), and the session, which
        // takes its inputs in order, answers a later symbol change: every silence was handled.
        try await withSafetyLimit { await clock.waitForSleeper(named: "silence ALPACA") }
        watched.set([aapl, msft])
        try await until { server.received.first?.count == 3 }
        #expect(server.connectionCount == 1)
        #expect(rig.status.isConnected)
        await rig.stop()
        await server.stop()
    }

    @Test func repeatedDropsBackOffWithoutAStormAndNeverOverlap() async throws {
        // Each connection drops once the client has spoken: a server closing as the upgrade
        // completes can leave the WebSocket library's connection hanging (the handshake
        // deadline covers that; see aGreetingThatNeverComesIsGivenUp).
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(Alpaca.connected)
            _ = await peer.receive()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        for (attempt, wait) in [(1, 1), (2, 2), (3, 4), (4, 8)] {
            let failed = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == attempt } }
            #expect(failed?.sources.first?.lastError?.contains("reconnect \(attempt) in \(wait)s") == true)
            try await withSafetyLimit { await clock.waitForSleeper(named: "backoff ALPACA") }
            #expect(server.connectionCount == attempt)
            if wait > 1 {
                clock.advance(by: .seconds(Int64(wait - 1)))
                try await withSafetyLimit { await clock.waitForPendingSleeper(named: "backoff ALPACA") }
                #expect(server.connectionCount == attempt, "no reconnect before the backoff has passed")
            }
            clock.advance(by: .seconds(1))
            try await until { server.connectionCount == attempt + 1 }
        }
        #expect(rig.transport.maximumOpen == 1, "never two connections at once")
        await rig.stop()
        await server.stop()
    }

    @Test func theBackoffResetsOnlyAfterAConnectionStayedUp() async throws {
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2026-03-07T15:00:00Z")!)  // Saturday: no watchdog
        let server = try await LoopbackWebSocketServer.start { peer in
            guard peer.index == 3 else {  // the first two drop after the auth frame
                try await peer.send(Alpaca.connected)
                _ = await peer.receive()
                return
            }
            try await Alpaca.handshake(peer)
            try await clock.sleep(for: .seconds(61), purpose: "script")
        }
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        for (attempt, wait) in [(1, 1), (2, 2)] {
            let failed = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == attempt } }
            #expect(failed?.sources.first?.lastError?.contains("reconnect \(attempt) in \(wait)s") == true)
            try await withSafetyLimit { await clock.waitForSleeper(named: "backoff ALPACA") }
            clock.advance(by: .seconds(Int64(wait)))
        }
        try await until { rig.status.isConnected }
        try await withSafetyLimit { await clock.waitForSleeper(named: "silence ALPACA") }
        try await withSafetyLimit { await clock.waitForSleeper(named: "script") }
        clock.advance(by: .seconds(61))
        let third = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 3 } }
        #expect(third?.sources.first?.lastError?.contains("reconnect 3 in 1s") == true, "a minute up resets the backoff")
        await rig.stop()
        await server.stop()
    }

    @Test func polygonAuthenticatesWithItsKeyAndSubscribesItsChannels() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"ev":"status","status":"connected","message":"Connected Successfully"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"ev":"status","status":"auth_success","message":"authenticated"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"ev":"Q","sym":"AAPL","bp":170.4,"bs":3,"ap":170.43,"as":2,"t":1772463600100}]"#)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(
            server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock,
            provider: {
                PolygonStream(id: "polygon", url: $0 + "/stocks", key: "polyKEY00042")
            })
        let state = rig.state
        let aapl = aapl
        let quoted = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(quoted?.symbol(aapl)?.selected?.bid == 170.4)
        #expect(quoted?.sources.first?.state == .streaming)
        #expect(
            server.received.first == [
                #"{"action":"auth","params":"polyKEY00042"}"#, #"{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL"}"#
            ])
        await rig.stop()
        await server.stop()
    }

    @Test func finnhubSubscribesOnConnectAndNeverShowsItsToken() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            _ = await peer.receive()
            try await peer.send(#"{"data":[{"p":170.42,"s":"AAPL","t":1772463600100,"v":100}],"type":"trade"}"#)
            if peer.index == 1 { return }  // then drop, so the URL appears in a failure
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(
            server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock,
            provider: {
                FinnhubStream(id: "finnhub", baseURL: $0, key: "fhTOKEN0000999")
            })
        let state = rig.state
        let failed = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(server.received.first == [#"{"symbol":"AAPL","type":"subscribe"}"#])
        #expect(server.peers.first?.path.contains("token=fhTOKEN0000999") == true)
        #expect(failed?.sources.first?.messageCount == 2, "the trade and its last-trade quote")
        #expect(failed?.symbol(aapl)?.selected?.price == 170.42, "the trade moves the price")
        try await withSafetyLimit { await clock.waitForSleeper(named: "backoff FINNHUB") }
        clock.advance(by: .seconds(1))
        let again = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .streaming } }
        let shown = (again?.sources.first?.detail ?? "") + (failed?.sources.first?.lastError ?? "") + rig.logs.text
        #expect(shown.contains("token=***"))
        #expect(!shown.contains("fhTOKEN0000999"), "the token is never shown")
        await rig.stop()
        await server.stop()
    }

    @Test func symbolLimitNamesTheSymbolsNotSubscribed() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(Alpaca.connected)
            _ = await peer.receive()
            try await peer.send(Alpaca.authenticated)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"error","code":405,"msg":"symbol limit exceeded"}]"#)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl, msft]), watchlist: [aapl, msft], clock: clock)
        let state = rig.state
        let limited = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first?.detail?.contains("not subscribed") == true }
        }
        #expect(limited?.sources.first?.state == .degraded)
        #expect(limited?.sources.first?.detail?.contains("not subscribed: AAPL, MSFT") == true)
        #expect(server.connectionCount == 1)
        await rig.stop()
        await server.stop()
    }

    @Test func malformedFramesAreReportedAndTheConnectionKept() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            try await Alpaca.handshake(peer)
            try await peer.send("this is not json")
            try await peer.send(#"[{"T":"q","S":"AAPL","bp":"oops","ap":1,"t":"2026-03-02T15:00:00Z"}]"#)
            try await peer.send("[" + Alpaca.quote("AAPL", bid: 181.25) + "]")
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        let aapl = aapl
        let good = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(good?.symbol(aapl)?.selected?.bid == 181.25, "the bad quote never became a value")
        #expect(rig.logs.text.contains("1 unreadable stream message(s), last: not a JSON array"))
        #expect(rig.logs.text.contains("2 unreadable stream message(s), last: a 'q' message for AAPL"), "\(rig.logs.text)")
        #expect(server.connectionCount == 1)
        await rig.stop()
        await server.stop()
    }
}

/// A transport whose connections never open (until cancelled).
private struct HangingTransport: WebSocketTransport {
    func connect(url: String, headers: [HTTPHeader]) async throws -> any WebSocketConnection {
        let (never, keep) = AsyncStream<Void>.makeStream()
        for await _ in never {}
        keep.finish()
        throw CancellationError()
    }
}

@Suite("Live stream connect timeout", .stopsItsRigs)
struct LiveStreamConnectTimeoutTests {
    @Test func aConnectionThatNeverOpensTimesOutAndIsRetried() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let state = MarketState(watchlist: [aapl], sources: [.init(id: "alpaca", kind: "alpaca", priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let service = LiveStreamService(
            provider: AlpacaStream(id: "alpaca", url: "ws://127.0.0.1:9/v2/test", credentials: .init()),
            transport: HangingTransport(), watched: WatchedSymbols([aapl]), pipeline: pipeline, clock: clock,
            timeSource: clock, settings: LiveStreamSettings(jitter: { $0 }, connectTimeout: .seconds(15), connectClock: clock),
            logger: .quiet())
        let rig = ServiceRig([("ingest", pipeline), ("stream", service)])
        try await withSafetyLimit { await clock.waitForSleeper(named: "connect deadline") }
        clock.advance(by: .seconds(15))
        let failed = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(failed?.sources.first?.lastError?.contains("no connection within 15s") == true)
        #expect(failed?.sources.first?.lastError?.contains("reconnect 1 in 1s") == true)
        await rig.stop()
    }
}

@Suite("Live stream handshake deadline", .serialized, .stopsItsRigs)
struct LiveStreamHandshakeTests {
    @Test func aGreetingThatNeverComesIsGivenUp() async throws {
        let server = try await LoopbackWebSocketServer.start { peer in
            if peer.index == 1 {
                await peer.waitUntilClientCloses()
                return
            }  // upgrades, then says nothing
            try await Alpaca.handshake(peer)
            await peer.waitUntilClientCloses()
        }
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let rig = LiveStreamRig(server: server, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let (state, status, network) = (rig.state, rig.status, rig.network)
        try await until { status.opened == 1 }
        try await withSafetyLimit { await network.waitForSleeper(named: "connect deadline") }  // set when dialing
        network.advance(by: .seconds(14))
        try await withSafetyLimit { await network.waitForPendingSleeper(named: "connect deadline") }
        #expect(await state.snapshot().sources.first?.errorCount == 0, "not before the deadline")
        network.advance(by: .seconds(1))
        let failed = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        #expect(failed?.sources.first?.lastError?.contains("no greeting within 15s of dialing; reconnect 1 in 1s") == true)
        clock.advance(by: .seconds(1))
        let live = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .streaming } }
        #expect(live?.sources.first?.errorCount == 1)
        #expect(rig.transport.maximumOpen == 1, "the silent connection was closed before the next opened")
        await rig.stop()
        await server.stop()
    }
}
