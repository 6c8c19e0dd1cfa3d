import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// SIGINT and SIGTERM shut the collector down in order: sources stop, the
    /// pipeline drains, and the store writer flushes what it still holds.
    @Suite("graceful shutdown end to end")
    struct ShutdownEndToEndTests {
        @Test(arguments: [SIGINT, SIGTERM])
        func signalFlushesPendingWrites(_ signal: Int32) async throws {
            let sandbox = try TicktopProcess()
            // The writer would only write after an hour: anything stored was flushed by the shutdown.
            let config = try sandbox.write(
                config: """
                    [store]
                    flush_interval = "1h"
                    batch_size = 100000

                    [collect]
                    backfill_daily_days = 30
                    backfill_minute_days = 1
                    """)
            let logPath = sandbox.home.url.appendingPathComponent("state/ticktop/ticktop.log").path
            // AAPL is stalled, so --once keeps waiting (deadline 60 s) until the signal comes.
            let process = try sandbox.start([
                "--once", "--json", "--config", config, "--symbols", "AAPL,MSFT", "--sim-fault", "stall:AAPL",
                "--deadline", "60", "--db", sandbox.databasePath
            ])
            let started = ContinuousClock.now
            while !(FileManager.default.contents(atPath: logPath).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .contains("backfill finished")
            {
                try #require(ContinuousClock.now - started < .seconds(30), "backfill did not finish")
                try await Task.sleep(for: .milliseconds(50))  // polling a child process; nothing else to wait on
            }
            kill(process.pid, signal)
            let output = await process.wait()
            #expect(ContinuousClock.now - started < .seconds(30), "shut down promptly, long before the deadline")
            #expect(output.status == 2, "AAPL never had a value; stderr: \(output.stderr)")
            let report = try output.json()
            let history = try #require(report["history"] as? [[String: Any]])
            let msft = try #require(history.first { $0["symbol"] as? String == "MSFT" })
            #expect((msft["dailyBars"] as? Int ?? 0) >= 29, "the backfill was written on shutdown")
            #expect((msft["minuteBars"] as? Int ?? 0) >= 1_438)
        }
    }
}
