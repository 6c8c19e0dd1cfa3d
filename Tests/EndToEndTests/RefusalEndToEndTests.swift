import Foundation
import ProviderTestSupport
import Testing

extension EndToEnd {
    /// Issue 13: a request shape a plan refuses is remembered with its reason and not retried on
    /// every start, and `ticktop sources` shows it. Polygon's NBBO answered `NOT_AUTHORIZED`.
    @Suite("refused requests end to end")
    struct RefusalEndToEndTests {
        static let key = "FAKEPOLYGONKEYE2E00000000002"

        @Test func aRefusedPolygonEndpointIsNotAskedOnTheNextStartAndSourcesShowsWhy() async throws {
            let http = try await LoopbackHTTPServer.start { request in
                let now = Int64(Date().timeIntervalSince1970) * 1_000_000_000
                switch request.path {
                case "/v2/last/trade/AAPL":
                    return .json(#"{"status":"OK","results":{"T":"AAPL","p":211.42,"s":100,"t":\#(now)}}"#)
                case "/v2/last/nbbo/AAPL":
                    return .json(
                        #"{"status":"NOT_AUTHORIZED","request_id":"r1","message":"You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing"}"#
                    )
                case let path where path.hasSuffix("/prev"):
                    return .json(#"{"status":"OK","results":[{"T":"AAPL","o":1,"h":1,"l":1,"c":210,"v":1,"t":1709596800000}]}"#)
                default:
                    return .json(#"{"status":"NOT_FOUND","message":"no route"}"#, status: 404)
                }
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: """
                    [sources.poly]
                    kind = "polygon"
                    base_url = "\(http.baseURL)"
                    stream = false
                    rate_limit = "100/min"

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 0
                    """)
            let environment = ["POLYGON_API_KEY": Self.key]
            let arguments = ["--once", "--config", path, "--symbols", "AAPL", "--deadline", "20"]
            let first = try await sandbox.run(arguments, environment: environment)
            let second = try await sandbox.run(arguments, environment: environment)
            let sources = try await sandbox.run(["sources", "--config", path], environment: environment)
            await http.stop()
            #expect(first.status == 0, "stderr: \(first.stderr)")
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(http.requests.filter { $0.path == "/v2/last/nbbo/AAPL" }.count == 1, "not asked again on the next start")
            #expect(http.requests.filter { $0.path == "/v2/last/trade/AAPL" }.count == 2)
            let line = try #require(
                sources.stdout.split(separator: "\n").first { $0.contains("/v2/last/nbbo") }, "\(sources.stdout)")
            #expect(line.contains("You are not entitled to this data"))
            for output in [first, second, sources] {
                #expect(!output.stdout.contains(Self.key) && !output.stderr.contains(Self.key))
            }
        }
    }
}
