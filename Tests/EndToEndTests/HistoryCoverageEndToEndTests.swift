import Collector
import Foundation
import ProviderTestSupport
import Synchronization
import Testing

extension EndToEnd {
    /// A provider whose history lacks a day: `--once` names the missing window and exits 5;
    /// once the provider has it, the next run asks for that window only (merged with what
    /// came since) and the history is complete.
    @Suite("history coverage end to end")
    struct HistoryCoverageEndToEndTests {
        /// Whether the stub provider still leaves the day out.
        final class Withholding: Sendable {
            let active = Mutex(true)
        }

        @Test func aMissingDayIsReportedWithExit5AndTheNextRunFetchesOnlyIt() async throws {
            let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
            let finder = GapFinder()
            let candidates = finder.expectedStarts(
                .equity, .oneDay, in: (now - .seconds(9 * 86_400))...(now - .seconds(3 * 86_400)))
            let withheld = try #require(candidates.last, "a trading day between 9 and 3 days ago")
            let withholding = Withholding()
            let server = try await LoopbackHTTPServer.start { request in
                switch request.path {
                case "/v2/stocks/snapshots":
                    return ProviderEndToEndTests.snapshots(for: ["AAPL"])
                case "/v2/stocks/AAPL/bars":
                    guard let start = request.query("start").flatMap(Timestamp.init(rfc3339:)),
                        let end = request.query("end").flatMap(Timestamp.init(rfc3339:)), start <= end
                    else { return .json(#"{"message": "bad range"}"#, status: 422) }
                    let skip = withholding.active.withLock { $0 }
                    let days = finder.expectedStarts(.equity, .oneDay, in: start...end).filter { !skip || $0 != withheld }
                    let bars = days.map { day in
                        let close = 100 + Double(day.nanoseconds / 86_400_000_000_000 % 7) * 0.1
                        return
                            #"{"t": "\#(day.rfc3339Seconds)", "o": \#(close), "h": \#(close + 0.5), "l": \#(close - 0.5), "c": \#(close), "v": 1000}"#
                    }
                    return .json(#"{"bars": [\#(bars.joined(separator: ","))], "symbol": "AAPL", "next_page_token": null}"#)
                default:
                    return .json(#"{"message": "not found"}"#, status: 404)
                }
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: ProviderEndToEndTests.config(alpaca: server.baseURL) + """

                    [collect]
                    backfill_daily_days = 10
                    backfill_minute_days = 0
                    """)
            let arguments = [
                "--once", "--json", "--config", path, "--symbols", "AAPL", "--db", sandbox.databasePath, "--deadline", "20"
            ]
            let first = try await ProviderEndToEndTests.run(sandbox, arguments)
            let firstRequests = server.requests.filter { $0.path == "/v2/stocks/AAPL/bars" }.count
            withholding.active.withLock { $0 = false }
            let second = try await ProviderEndToEndTests.run(sandbox, arguments)
            let secondRequests = server.requests.filter { $0.path == "/v2/stocks/AAPL/bars" }.dropFirst(firstRequests)
            await server.stop()

            #expect(first.status == 5, "stderr: \(first.stderr)")
            let report = try first.json()
            #expect(report["status"] as? String == "history-incomplete")
            let coverage = try #require((report["coverage"] as? [[String: Any]])?.first)
            #expect(coverage["timeframe"] as? String == "1Day")
            let missing = try #require(coverage["missing"] as? [[String: Any]])
            #expect(missing.count == 1)
            #expect(missing.first?["first"] as? String == withheld.iso8601)
            #expect(missing.first?["bars"] as? Int == 1)

            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(secondRequests.count == 1, "the hole and the days since share one request")
            #expect(secondRequests.first?.query("start") == withheld.rfc3339Seconds, "nothing before the hole is fetched again")
            let after = try #require((try second.json()["coverage"] as? [[String: Any]])?.first)
            #expect(after["missingBars"] as? Int == 0)
        }
    }
}
