import Collector
import Foundation
import Testing

extension EndToEnd {
    /// Runs the real binary with `--once`. These tests need the built `ticktop`
    /// next to the test bundle (swift test builds it) and take a few seconds each:
    /// the simulated market ticks in real time.
    @Suite("ticktop --once end to end")
    struct OnceEndToEndTests {
        /// The qualities a fresh, clean SIM quote may show for `assetClass` during a run
        /// from `start` to now: `clean`, or `closed` while its market is closed (SIM trades 24/7).
        static func cleanQualities(_ assetClass: AssetClass, since start: Date) -> Set<String> {
            Set([start, Date()].map { MarketSession.current(for: assetClass, at: Timestamp($0)) == .closed ? "closed" : "clean" })
        }

        @Test func jsonHasEverySymbolFromSimAndHistorySurvivesARestart() async throws {
            let sandbox = try TicktopProcess()
            // A generous deadline: on a loaded machine the start-up backfill (31k bars) may outlast the default 10 s.
            let arguments = [
                "--once", "--json", "--symbols", "AAPL,MSFT,BTC-USD", "--deadline", "60", "--db", sandbox.databasePath
            ]
            let start = Date()
            let first = try await sandbox.run(arguments)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            let report = try first.json()
            let quotes = try #require(report["quotes"] as? [[String: Any]])
            #expect(quotes.map { $0["symbol"] as? String } == ["AAPL", "MSFT", "BTC-USD"])
            for quote in quotes {
                #expect(quote["source"] as? String == "SIM")
                #expect((quote["last"] as? Double ?? 0) > 0)
                let assetClass: AssetClass = quote["symbol"] as? String == "BTC-USD" ? .crypto : .equity
                #expect(Self.cleanQualities(assetClass, since: start).contains(quote["quality"] as? String ?? ""))
            }
            let sources = try #require(report["sources"] as? [[String: Any]])
            #expect(sources.first?["label"] as? String == "SIM")
            #expect(sources.first?["state"] as? String == "streaming")
            #expect(report["anomalies"] as? [Any] != nil)
            let firstHistory = try #require(report["history"] as? [[String: Any]])
            #expect(firstHistory.count == 3)
            for entry in firstHistory {
                #expect((entry["dailyBars"] as? Int ?? 0) >= 365)
                #expect((entry["minuteBars"] as? Int ?? 0) >= 7 * 1_440 - 2)
            }
            let firstBackfill = try #require((report["backfill"] as? [[String: Any]])?.first)
            #expect((firstBackfill["fetched"] as? Int ?? 0) > 30_000)
            #expect(firstBackfill["loadedFromStore"] as? Int == 0)

            // A second run on the same database starts from the stored history.
            let second = try await sandbox.run(arguments)
            #expect(second.status == 0, "stderr: \(second.stderr)")
            let again = try second.json()
            let backfill = try #require((again["backfill"] as? [[String: Any]])?.first)
            #expect((backfill["loadedFromStore"] as? Int ?? 0) > 0, "the second run reads history the first stored")
            #expect((backfill["fetched"] as? Int ?? .max) < 100, "only the minutes since the first run are fetched")
            let secondHistory = try #require(again["history"] as? [[String: Any]])
            for (before, after) in zip(firstHistory, secondHistory) {
                #expect((after["minuteBars"] as? Int ?? 0) >= (before["minuteBars"] as? Int ?? .max))
            }
        }

        @Test func textTableNamesSourceAndAge() async throws {
            let sandbox = try TicktopProcess()
            let start = Date()
            let output = try await sandbox.run(["--once", "--symbols", "aapl,eurusd=x", "--db", sandbox.databasePath])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let lines = output.stdout.components(separatedBy: "\n")
            #expect(lines.first?.hasPrefix("SYMBOL") == true)
            #expect(lines.first?.contains("AGE") == true)
            let marks = Self.cleanQualities(.equity, since: start).map { $0 == "clean" ? "ok" : "CLOSED" }
            #expect(
                lines.contains { line in
                    line.hasPrefix("AAPL ") && line.contains(" SIM ") && marks.contains { line.hasSuffix($0) }
                })
            #expect(lines.contains { $0.hasPrefix("EURUSD=X ") })
            #expect(lines.contains { $0.hasPrefix("SESSIONS  US ") && $0.contains(" · FX ") })
            #expect(
                output.stdout.contains("status: all symbols fresh and clean (exit 0)")
                    || output.stdout.contains("status: all open markets fresh and clean; market closed for "))
        }

        @Test func quarantinedValueGivesExit3AndIsReported() async throws {
            let sandbox = try TicktopProcess()
            let output = try await sandbox.run(
                ["--once", "--json", "--symbols", "AAPL,MSFT", "--sim-fault", "crossed:AAPL", "--db", sandbox.databasePath])
            #expect(output.status == 3, "stderr: \(output.stderr)")
            let report = try output.json()
            let anomalies = try #require(report["anomalies"] as? [[String: Any]])
            #expect(anomalies.contains { $0["rule"] as? String == "crossed-quote" && $0["symbol"] as? String == "AAPL" })
            #expect(report["status"] as? String == "quarantined")
        }

        @Test func disagreeingSourcesGiveExit4() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [sources.sim]
                    kind = "simulated"
                    seed = 7

                    [sources.backup]
                    kind = "simulated"
                    priority = 110
                    seed = 7

                    [sources.odd]
                    kind = "simulated"
                    priority = 120
                    seed = 7
                    faults = ["offset:MSFT:3%"]

                    [collect]
                    backfill_daily_days = 5
                    backfill_minute_days = 1
                    """)
            let output = try await sandbox.run([
                "--once", "--json", "--config", config, "--symbols", "MSFT", "--db", sandbox.databasePath
            ])
            #expect(output.status == 4, "stderr: \(output.stderr)")
            let report = try output.json()
            #expect(report["status"] as? String == "sources-disagree")
            let quote = try #require((report["quotes"] as? [[String: Any]])?.first)
            #expect(quote["quality"] as? String == "sources-disagree")
            #expect(quote["disagreeingSources"] as? [String] == ["ODD"])
            #expect(quote["source"] as? String == "SIM", "the preferred, agreeing source is shown")
            let anomalies = try #require(report["anomalies"] as? [[String: Any]])
            #expect(anomalies.contains { $0["rule"] as? String == "sources-disagree" })
        }

        @Test func outageGivesExit2AndShowsTheSourceDown() async throws {
            let sandbox = try TicktopProcess()
            let output = try await sandbox.run(
                [
                    "--once", "--json", "--symbols", "AAPL", "--sim-fault", "outage:10m", "--deadline", "2", "--db",
                    sandbox.databasePath
                ])
            #expect(output.status == 2, "stderr: \(output.stderr)")
            let report = try output.json()
            let source = try #require((report["sources"] as? [[String: Any]])?.first)
            #expect(source["state"] as? String == "down")
            #expect((source["lastError"] as? String)?.contains("outage") == true)
            #expect((report["quotes"] as? [[String: Any]])?.first?["quality"] as? String == "no-data")
            #expect(output.stderr.contains("no value within 2.0s for AAPL"))
        }

        @Test(arguments: [
            (["--once", "--symbols", "AAPL,MS FT$"], "not a valid symbol"),
            (["--json"], "--json needs --once"),
            (["--once", "--watchlist", "nope"], "no watchlist named 'nope'"),
            (["--once", "--sim-fault", "explode:AAPL"], "--sim-fault"),
            (["--once", "--deadline", "-1"], "--deadline")
        ])
        func usageErrorsExit64(_ arguments: [String], _ message: String) async throws {
            let sandbox = try TicktopProcess()
            let output = try await sandbox.run(arguments + ["--db", sandbox.databasePath])
            #expect(output.status == 64)
            #expect(output.stderr.contains(message), "stderr: \(output.stderr)")
            #expect(output.stdout.isEmpty)
        }

        @Test func badConfigExits78NamingFileLineAndKey() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: """
                    [general]
                    stale_after = "60s"

                    [store]
                    batch_size = "lots"
                    """)
            let output = try await sandbox.run(["--once", "--config", path])
            #expect(output.status == 78)
            #expect(output.stderr.contains("\(path):5"), "stderr: \(output.stderr)")
            #expect(output.stderr.contains("store.batch_size"))
        }

        @Test func unopenableDatabaseExits1WithThePath() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: "this is not sqlite", name: "garbage.sqlite")
            let output = try await sandbox.run(["--once", "--symbols", "AAPL", "--db", path])
            #expect(output.status == 1)
            #expect(output.stderr.contains(path), "stderr: \(output.stderr)")
        }
    }
}
