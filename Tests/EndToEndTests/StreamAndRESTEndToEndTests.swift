import Foundation
import ProviderTestSupport
import Synchronization
import Testing

extension EndToEnd {
    /// Issue 13: "with Polygon or Finnhub configured, nearly every `--once` exits 3": a REST quote
    /// that arrives after newer stream quotes of the same source was flagged `time-backwards`.
    /// Here Polygon's stream comes up late (its authentication held until the first REST round
    /// has asked), delivers a trade and a quote stamped now, and only then does the REST last
    /// trade and NBBO answer, stamped two seconds earlier (Polygon's first NBBO late behind its
    /// rate limit). An older value by the slower path is not newer: no anomaly, no quarantine.
    @Suite("stream and REST of one source end to end")
    struct StreamAndRESTEndToEndTests {
        static let key = "FAKEPOLYGONKEYE2E00000000001"

        /// Set once the stream has delivered its values.
        final class Flag: Sendable {
            private let value = Atomic(false)
            func set() { value.store(true, ordering: .releasing) }
            var isSet: Bool { value.load(ordering: .acquiring) }

            /// Returns once set (a loopback server's pacing, checked every 10 ms).
            func wait() async {
                while !isSet { try? await Task.sleep(for: .milliseconds(10)) }
            }
        }

        @Test func aSlowerRESTQuoteBehindTheStreamIsNoAnomaly() async throws {
            let streamed = Flag()
            let restAsked = Flag()
            let earlier = Date().addingTimeInterval(-2)
            let nanos = Int64(earlier.timeIntervalSince1970) * 1_000_000_000
            let http = try await LoopbackHTTPServer.start { request in
                switch request.path {
                case "/v2/last/trade/AAPL":
                    restAsked.set()
                    // Answered only after the stream's newer values (and a moment for them to be taken in).
                    await streamed.wait()
                    try? await Task.sleep(for: .milliseconds(300))
                    return .json(#"{"status":"OK","results":{"T":"AAPL","p":211.4,"s":100,"t":\#(nanos)}}"#)
                case "/v2/last/nbbo/AAPL":
                    return .json(#"{"status":"OK","results":{"T":"AAPL","P":211.41,"S":2,"p":211.39,"s":3,"t":\#(nanos)}}"#)
                case "/v2/last/trade/MSFT":
                    let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
                    return .json(#"{"status":"OK","results":{"T":"MSFT","p":401.5,"s":100,"t":\#(now)}}"#)
                case "/v2/last/nbbo/MSFT":
                    let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
                    return .json(#"{"status":"OK","results":{"T":"MSFT","P":401.52,"S":2,"p":401.48,"s":3,"t":\#(now)}}"#)
                case let path where path.hasSuffix("/prev"):
                    let close = path.contains("MSFT") ? 400 : 210
                    return .json(
                        #"{"status":"OK","results":[{"T":"X","o":1,"h":1,"l":1,"c":\#(close),"v":1,"t":1709596800000}]}"#)
                default:
                    return .json(#"{"status":"NOT_FOUND","message":"no route"}"#, status: 404)
                }
            }
            let stream = try await LoopbackWebSocketServer.start { peer in
                try await peer.send(#"[{"ev":"status","status":"connected","message":"Connected Successfully"}]"#)
                _ = await peer.receive()
                // Held until the poller, standing in for the stream that is not up, has asked REST.
                await restAsked.wait()
                try await peer.send(#"[{"ev":"status","status":"auth_success","message":"authenticated"}]"#)
                _ = await peer.receive()
                try await peer.send(#"[{"ev":"status","status":"success","message":"subscribed to: T.AAPL"}]"#)
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                try await peer.send(
                    #"""
                    [{"ev":"T","sym":"AAPL","x":4,"i":"1","z":3,"p":211.42,"s":100,"c":[12],"t":\#(now)},
                     {"ev":"Q","sym":"AAPL","bx":19,"bp":211.41,"bs":3,"ax":11,"ap":211.43,"as":2,"t":\#(now),"z":3}]
                    """#)
                streamed.set()
                await peer.waitUntilClientCloses()
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: """
                    [sources.poly]
                    kind = "polygon"
                    base_url = "\(http.baseURL)"
                    stream_url = "\(stream.baseURL)/stocks"
                    rate_limit = "100/min"

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 0
                    """)
            let output = try await sandbox.run(
                [
                    "--once", "--json", "--config", path, "--symbols", "AAPL,MSFT", "--db", sandbox.databasePath, "--deadline",
                    "30"
                ],
                environment: ["POLYGON_API_KEY": Self.key])
            await stream.stop()
            await http.stop()
            #expect(streamed.isSet, "the stream delivered before the REST answer")
            #expect(http.requests.contains { $0.path == "/v2/last/trade/AAPL" }, "REST asked for AAPL too")
            #expect(output.status != 3, "no false quarantine; stderr: \(output.stderr)")
            #expect(output.status == 0, "stderr: \(output.stderr)\n\(output.stdout)")
            let report = try output.json()
            let anomalies = try #require(report["anomalies"] as? [[String: Any]])
            #expect(!anomalies.contains { $0["rule"] as? String == "time-backwards" }, "\(anomalies)")
            #expect(report["quarantinedCount"] as? Int == 0)
            let quotes = try #require(report["quotes"] as? [[String: Any]])
            let aapl = try #require(quotes.first { $0["symbol"] as? String == "AAPL" })
            #expect(aapl["source"] as? String == "POLY")
            #expect(aapl["bid"] as? Double == 211.41, "the stream's newer quote is shown, not the older REST one")
            #expect(!output.stdout.contains(Self.key) && !output.stderr.contains(Self.key))
        }
    }
}
