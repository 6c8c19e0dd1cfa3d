import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

extension EndToEnd {
    /// `--once` ends by its deadline and on SIGINT or SIGTERM whatever still waits: a start-up
    /// backfill paced by a 5-requests-a-minute plan, or every request held by a 22-hour throttle
    /// pause. The report says what is missing. Wall-clock bounds here are the requirement
    /// itself (deadline + 2 s, signal + 2 s), not a speed measurement.
    @Suite("bounded --once end to end")
    struct BoundedOnceEndToEndTests {
        static func config(alpaca: String) -> String {
            ProviderEndToEndTests.config(alpaca: alpaca) + """

                rate_limit = "5/min"
                """
        }

        @Test func endsByTheDeadlineWhileA5PerMinutePlanPacesTheBackfill() async throws {
            let server = try await ProviderEndToEndTests.alpacaWithoutHistory()
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config(alpaca: server.baseURL))
            // A quote request and 6 backfill windows: the limiter lets 5 go, then one every 12 s.
            let started = ContinuousClock.now
            let output = try await ProviderEndToEndTests.run(
                sandbox,
                [
                    "--once", "--json", "--config", path, "--symbols", "AAPL,MSFT,NVDA", "--db", sandbox.databasePath,
                    "--deadline", "3"
                ])
            let elapsed = ContinuousClock.now - started
            await server.stop()
            #expect(elapsed < .seconds(5), "ended by the deadline + 2 s, not when the backfill could finish")
            #expect(server.requests.count <= 5, "the plan's budget held")
            #expect([2, 5].contains(output.status), "stale or incomplete; stderr: \(output.stderr)")
            let report = try output.json()
            #expect(report["incomplete"] as? Bool == true)
            let missing = try #require(report["missing"] as? [String: Any])
            #expect(missing["endedBy"] as? String == "deadline")
            let windows = try #require(missing["backfill"] as? [[String: Any]])
            #expect(!windows.isEmpty, "the windows not fetched are listed, for the next run")
            #expect(windows.allSatisfy { $0["source"] as? String == "ALPACA" })
        }

        @Test(arguments: [SIGINT, SIGTERM])
        func aSignalEndsItDuringA22HourThrottlePause(_ signal: Int32) async throws {
            let server = try await LoopbackHTTPServer.start { _ in
                .json(#"{"message": "too many requests"}"#, status: 429, headers: [("Retry-After", "79200")])
            }
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config(alpaca: server.baseURL))
            let logPath = sandbox.home.url.appendingPathComponent("state/ticktop/ticktop.log").path
            let process = try sandbox.start(
                ["--once", "--json", "--config", path, "--symbols", "AAPL", "--db", sandbox.databasePath, "--deadline", "60"],
                environment: ProviderEndToEndTests.environment)
            let started = ContinuousClock.now
            while !(FileManager.default.contents(atPath: logPath).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .contains("throttled by the provider")
            {
                try #require(ContinuousClock.now - started < .seconds(30), "the throttle never came")
                try await Task.sleep(for: .milliseconds(50))  // polling a child process; nothing else to wait on
            }
            let signalled = ContinuousClock.now
            kill(process.pid, signal)
            let output = await process.wait()
            let elapsed = ContinuousClock.now - signalled
            await server.stop()
            #expect(elapsed < .seconds(2), "the signal ended the 22-hour wait at once")
            #expect(output.status == 2, "AAPL has no value; stderr: \(output.stderr)")
            let report = try output.json()
            let missing = try #require(report["missing"] as? [String: Any])
            #expect(missing["endedBy"] as? String == "signal")
            #expect(missing["symbols"] as? [String] == ["AAPL"])
            let paused = try #require((missing["paused"] as? [[String: Any]])?.first)
            #expect(paused["source"] as? String == "ALPACA")
            // To the second: RFC 3339 with fractional seconds is more than ISO8601DateFormatter reads.
            let until = try #require(
                (paused["until"] as? String).flatMap { ISO8601DateFormatter().date(from: $0.prefix(19) + "Z") })
            #expect(until.timeIntervalSinceNow > 21 * 3_600, "paused for the 22 hours the provider asked")
            let source = try #require((report["sources"] as? [[String: Any]])?.first)
            #expect(source["state"] as? String == "rate-limited")
            #expect((source["detail"] as? String ?? source["lastError"] as? String ?? "").contains("requests paused until"))
        }
    }
}
