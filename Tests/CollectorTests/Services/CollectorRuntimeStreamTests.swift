import Collector
import CollectorTestSupport
import Logging
import ProviderTestSupport
import ServiceLifecycle
import Testing

private let F = MarketFixtures.self

/// A runtime built from `toml` (with a memory store) on a manual clock, whose services a
/// test runs by name.
private struct RuntimeRig {
    let runtime: CollectorRuntime
    let clock = ManualClock()
    let logs = LogCapture()

    init(_ toml: String, symbols: [String], environment: [String: String]) throws {
        let configuration = try ConfigLoader.parse("[store]\nkind = \"memory\"\n\n" + toml, file: "test.toml")
        runtime = try CollectorRuntime(
            configuration: configuration, symbols: symbols.map(F.symbol), databasePath: nil, faults: [:], clock: clock,
            timeSource: clock, environment: environment, logger: logs.logger())
    }

    var serviceNames: [String] { runtime.services.map(\.serviceName) }
    var streamNames: [String] { serviceNames.filter { $0.hasPrefix("live-") } }
    var state: MarketState { runtime.state }

    /// Runs the pipeline and the named services in a `ServiceRig` (stopped when the test ends,
    /// at the latest: the suite has the `.stopsItsRigs` trait).
    func start(_ names: [String]) throws -> ServiceRig {
        let services = try (["ingest"] + names).map { name in
            (name: name, service: try #require(runtime.services.first { $0.serviceName == name }?.service, "no service \(name)"))
        }
        return ServiceRig(services)
    }
}

/// Waits (yielding) until `condition` holds; bounded by `withSafetyLimit`.
private func until(file: String = #fileID, line: Int = #line, _ condition: @escaping @Sendable () -> Bool) async throws {
    try await withSafetyLimit(file: file, line: line) { await ManualClock.wait(until: condition) }
}

@Suite("Collector runtime: live streams", .serialized, .stopsItsRigs)
struct CollectorRuntimeStreamTests {
    static let keyID = "PKRUNTIMEKEY000042"
    static let secret = "runtimeSECRETvalue0042"
    static let alpacaKeys = ["APCA_API_KEY_ID": keyID, "APCA_API_SECRET_KEY": secret]

    @Test(arguments: [
        (["AAPL"], ["live-alpaca"]),
        (["BTC-USD"], ["live-alpaca-crypto"]),
        (["AAPL", "BTC-USD", "^GSPC"], ["live-alpaca", "live-alpaca-crypto"]),
        (["^GSPC", "EURUSD=X"], [])
    ])
    func alpacaRunsAStreamPerMarketOfTheWatchlist(symbols: [String], streams: [String]) throws {
        let rig = try RuntimeRig("[sources.alpaca]\n", symbols: symbols, environment: Self.alpacaKeys)
        #expect(rig.streamNames == streams)
        let poller = try #require(rig.serviceNames.firstIndex(of: "poll-alpaca"))
        #expect(streams.allSatisfy { rig.serviceNames.firstIndex(of: $0)! < poller }, "the poller stops before its streams")
    }

    @Test func withoutTheKeyNothingDialsAndTheLogSaysWhyOnce() throws {
        let rig = try RuntimeRig(
            "[sources.alpaca]\n", symbols: ["AAPL", "BTC-USD"], environment: ["APCA_API_KEY_ID": Self.keyID])
        #expect(rig.streamNames.isEmpty)
        #expect(!rig.serviceNames.contains("poll-alpaca"))
        let off = rig.logs.all.filter { $0.contains("live stream off") }
        #expect(off.count == 2, "one line per stream: \(off)")
        #expect(off.allSatisfy { $0.contains("no key: set APCA_API_SECRET_KEY in the environment") })
        #expect(off.first?.contains("stream=live-alpaca ") == true && off.last?.contains("stream=live-alpaca-crypto ") == true)
        #expect(!rig.logs.text.contains(Self.keyID))
    }

    @Test func streamFalseLeavesThePollerAlone() throws {
        let rig = try RuntimeRig(
            "[sources.alpaca]\nstream = false\n", symbols: ["AAPL", "BTC-USD"], environment: Self.alpacaKeys)
        #expect(rig.streamNames.isEmpty)
        #expect(rig.serviceNames.contains("poll-alpaca"))
        #expect(rig.logs.text.contains("stream = false in the configuration"))
    }

    @Test func polygonAndFinnhubRunTheirStreamsWithTheirKeys() throws {
        let toml = "[sources.polygon]\n[sources.finnhub]\n[sources.yahoo]\n"
        let keys = ["POLYGON_API_KEY": "polyRUNTIME0042", "FINNHUB_API_KEY": "fhRUNTIME0042"]
        #expect(try RuntimeRig(toml, symbols: ["AAPL"], environment: keys).streamNames == ["live-polygon", "live-finnhub"])
        #expect(try RuntimeRig(toml, symbols: ["AAPL"], environment: [:]).streamNames.isEmpty)
    }

    @Test func thePollerPollsOnlyTheSymbolsOfTheStreamThatIsDown() async throws {
        let http = try await LoopbackHTTPServer.start { request in
            switch request.path {
            case "/v1beta3/crypto/us/snapshots":
                return .json(
                    #"""
                    {"snapshots": {"BTC/USD": {
                      "latestTrade": {"t": "2026-03-02T15:00:05Z", "p": 67234.5, "s": 0.01, "i": 1},
                      "latestQuote": {"t": "2026-03-02T15:00:05Z", "bp": 67230.5, "bs": 1.5, "ap": 67240.5, "as": 0.5}}}}
                    """#)
            default:
                return .json("{}")
            }
        }
        let stocks = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"success","msg":"authenticated"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"T":"q","S":"AAPL","bp":180.5,"bs":2,"ap":180.6,"as":1,"t":"2026-03-02T15:00:00.5Z"}]"#)
            await peer.waitUntilClientCloses()
        }
        let crypto = try await LoopbackWebSocketServer.start { peer in  // greets, then never authenticates: down
            try await peer.send(#"[{"T":"success","msg":"connected"}]"#)
            await peer.waitUntilClientCloses()
        }
        let toml = """
            [sources.alpaca]
            base_url = "\(http.baseURL)"
            stream_url = "\(stocks.baseURL)/v2/iex"
            crypto_stream_url = "\(crypto.baseURL)/v1beta3/crypto/us"
            poll_interval = "10s"
            """
        let rig = try RuntimeRig(toml, symbols: ["AAPL", "BTC-USD"], environment: Self.alpacaKeys)
        let services = try rig.start(["live-alpaca", "live-alpaca-crypto", "poll-alpaca"])
        let (state, aapl, btc) = (rig.state, F.symbol("AAPL"), F.symbol("BTC-USD"))
        let streamed = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(streamed?.symbol(aapl)?.selected?.bid == 180.5, "AAPL from the stock stream")
        try await until { crypto.received.first?.count == 1 }  // the crypto stream waits for its authentication
        let paths: @Sendable (String) -> Int = { path in http.requests.filter { $0.path == path }.count }
        let stockPolls = paths("/v2/stocks/snapshots")
        let cryptoPolls = paths("/v1beta3/crypto/us/snapshots")
        // The poller, waiting for its next round (or for the streams' grace before its first).
        try await withSafetyLimit {
            await rig.clock.waitForSleeper { $0.purpose == "poll ALPACA" || $0.purpose == "stream grace" }
        }
        rig.clock.advance(by: .seconds(10))
        try await until { paths("/v1beta3/crypto/us/snapshots") > cryptoPolls }
        // The first round (before the stock stream was live) may have left a note about AAPL;
        // this round's delivery, with a stream up, is `streaming`.
        let polled = try await withSafetyLimit {
            await state.firstSnapshot { $0.symbol(btc)?.selected?.bid == 67230.5 && $0.sources.first?.state == .streaming }
        }
        #expect(paths("/v2/stocks/snapshots") == stockPolls, "AAPL is on a connected stream: not polled")
        #expect(stocks.received.first?.last == #"{"action":"subscribe","bars":["AAPL"],"quotes":["AAPL"],"trades":["AAPL"]}"#)
        #expect(crypto.peers.first?.path == "/v1beta3/crypto/us")
        #expect(!rig.logs.text.contains(Self.secret) && polled?.sources.first?.detail?.contains(Self.secret) != true)
        await services.stop()
        await stocks.stop()
        await crypto.stop()
        await http.stop()
    }

    @Test func polygonsStreamDeliversQuotesToTheState() async throws {
        let key = "polyRUNTIMEkey0042"
        let server = try await LoopbackWebSocketServer.start { peer in
            try await peer.send(#"[{"ev":"status","status":"connected","message":"Connected Successfully"}]"#)
            _ = await peer.receive()
            try await peer.send(#"[{"ev":"status","status":"auth_success","message":"authenticated"}]"#)
            _ = await peer.receive()
            try await peer.send(
                #"""
                [{"ev":"T","sym":"AAPL","x":4,"i":"52983","z":3,"p":170.42,"s":100,"t":1772463600050,"q":1},
                 {"ev":"Q","sym":"AAPL","bx":19,"bp":170.4,"bs":3,"ax":11,"ap":170.43,"as":2,"t":1772463600100,"q":2,"z":3}]
                """#)
            await peer.waitUntilClientCloses()
        }
        let toml = "[sources.polygon]\nstream_url = \"\(server.baseURL)/stocks\"\n"
        let rig = try RuntimeRig(toml, symbols: ["AAPL"], environment: ["POLYGON_API_KEY": key])
        let services = try rig.start(["live-polygon"])
        let aapl = F.symbol("AAPL")
        let quoted = try await withSafetyLimit { await rig.state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(quoted?.symbol(aapl)?.selected?.bid == 170.4)
        #expect(quoted?.sources.first?.state == .streaming)
        #expect(quoted?.sources.first?.messageCount == 2, "the trade and the quote")
        #expect(
            server.received.first == [
                #"{"action":"auth","params":"\#(key)"}"#, #"{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL"}"#
            ])
        #expect(!rig.logs.text.contains(key))
        await services.stop()
        await server.stop()
    }

    @Test func finnhubsStreamDeliversTradesToTheStateAndMasksItsToken() async throws {
        let token = "fhRUNTIMEtoken0042"
        let server = try await LoopbackWebSocketServer.start { peer in
            _ = await peer.receive()
            try await peer.send(#"{"data":[{"c":["1"],"p":170.42,"s":"AAPL","t":1772463600100,"v":100}],"type":"trade"}"#)
            await peer.waitUntilClientCloses()
        }
        let toml = "[sources.finnhub]\nstream_url = \"\(server.baseURL)\"\n"
        let rig = try RuntimeRig(toml, symbols: ["AAPL"], environment: ["FINNHUB_API_KEY": token])
        let services = try rig.start(["live-finnhub"])
        let aapl = F.symbol("AAPL")
        let traded = try await withSafetyLimit { await rig.state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(traded?.symbol(aapl)?.selected?.price == 170.42)
        #expect(traded?.sources.first?.state == .streaming)
        #expect(server.received.first == [#"{"symbol":"AAPL","type":"subscribe"}"#])
        #expect(server.peers.first?.path == "/?token=\(token)")
        let shown = (traded?.sources.first?.detail ?? "") + rig.logs.text
        #expect(shown.contains("token=***"))
        #expect(!shown.contains(token))
        await services.stop()
        await server.stop()
    }
}
