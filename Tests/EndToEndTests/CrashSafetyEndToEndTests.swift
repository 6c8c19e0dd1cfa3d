import CollectorTestSupport
import Foundation
import GRDB
import Testing

extension EndToEnd {
    /// `kill -9` at points chosen by events (rows seen in the database, the log saying the
    /// backfill finished), never by time: after each kill the database passes SQLite's
    /// integrity check, and a last run completes the history the kills interrupted.
    @Suite("crash safety")
    struct CrashSafetyEndToEndTests {
        /// Crypto trades around the clock, so the expected history does not depend on the day.
        static let symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD", "LTC-USD", "AAPL"]
        static let minuteDays = 2

        /// Rows counted in the database while ticktop runs (a reader beside its writer, WAL mode).
        struct Counts: CustomStringConvertible {
            var minuteBars: Int
            var dailyBars: Int
            var quotes: Int
            /// When the newest stored quote was received, in nanoseconds since the epoch.
            var newestQuote: Int64
            var description: String { "\(minuteBars) minute bars, \(dailyBars) daily bars, \(quotes) quotes" }
        }

        static func counts(_ path: String) throws -> Counts? {
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db in
                guard try db.tableExists("bars"), try db.tableExists("latest_quotes") else { return nil }
                let minute = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars WHERE timeframe = '1Min'") ?? 0
                let daily = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars WHERE timeframe = '1Day'") ?? 0
                let quotes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM latest_quotes") ?? 0
                let newest = try Int64.fetchOne(db, sql: "SELECT MAX(received_at) FROM latest_quotes") ?? 0
                return Counts(minuteBars: minute, dailyBars: daily, quotes: quotes, newestQuote: newest)
            }
        }

        /// `PRAGMA integrity_check` on the file as the killed process left it (WAL included).
        static func integrity(_ path: String) throws -> [String] {
            let queue = try DatabaseQueue(path: path)
            return try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
        }

        enum KillPoint: CustomStringConvertible {
            /// Once the database holds at least this many minute bars (the backfill is writing).
            case minuteBars(Int)
            /// Once this run's live feed has stored a quote (the backfill may still be going).
            case quoteStored
            /// Once the backfill has finished and this run's live feed has stored a quote.
            case ingesting

            var description: String {
                switch self {
                case .minuteBars(let count): "after \(count) minute bars"
                case .quoteStored: "after this run's first stored quote"
                case .ingesting: "while ingesting, after the backfill"
                }
            }
        }

        @Test func killedAtSeveralPointsTheStoreStaysIntactAndARestartCompletesHistory() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [store]
                    flush_interval = "200ms"
                    batch_size = 500

                    [collect]
                    backfill_daily_days = 30
                    backfill_minute_days = \(Self.minuteDays)
                    """)
            let database = sandbox.databasePath
            let logPath = sandbox.home.url.appendingPathComponent("state/ticktop/ticktop.log").path
            let perSymbol = Self.minuteDays * 1_440
            let points: [KillPoint] = [
                .minuteBars(1), .minuteBars(perSymbol + 700), .minuteBars(3 * perSymbol + 100), .quoteStored, .ingesting
            ]
            var incompleteAfterAKill = false
            for point in points {
                try? FileManager.default.removeItem(atPath: logPath)
                // AAPL stalls, so the run waits for it (deadline 120 s) until the kill comes.
                let process = try sandbox.start([
                    "--once", "--json", "--config", config, "--symbols", Self.symbols.joined(separator: ","),
                    "--sim-fault", "stall:AAPL", "--deadline", "120", "--db", database
                ])
                let started = ContinuousClock.now
                let startedAt = Int64(Date().timeIntervalSince1970 * 1e9)
                var seen: Counts?
                while true {
                    try #require(
                        ContinuousClock.now - started < .seconds(90),
                        "kill point \(point) not reached; last seen \(seen?.description ?? "nothing")")
                    if !process.process.isRunning {
                        let ended = await process.wait()
                        Issue.record(
                            "ticktop ended before kill point \(point) (exit \(ended.status); last seen \(seen?.description ?? "nothing")): \(ended.stderr.suffix(2_000))"
                        )
                        return
                    }
                    seen = try? Self.counts(database)
                    let log = FileManager.default.contents(atPath: logPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    let reached =
                        switch point {
                        case .minuteBars(let count): (seen?.minuteBars ?? 0) >= count
                        case .quoteStored: (seen?.newestQuote ?? 0) > startedAt
                        case .ingesting: log.contains("backfill finished") && (seen?.newestQuote ?? 0) > startedAt
                        }
                    if reached { break }
                    try await Task.sleep(for: .milliseconds(20))  // polling a child process; nothing else to wait on
                }
                kill(process.pid, SIGKILL)
                let ended = await process.wait()
                #expect(ended.status == SIGKILL, "killed \(point)")
                let integrity = try Self.integrity(database)
                #expect(integrity == ["ok"], "integrity after the kill \(point)")
                let after = try #require(try Self.counts(database))
                print(
                    "crash safety: killed \(point) (saw \(seen?.description ?? "nothing")); stored after: \(after); integrity \(integrity.joined(separator: ", "))"
                )
                if after.minuteBars < (Self.symbols.count - 1) * perSymbol { incompleteAfterAKill = true }
            }
            #expect(incompleteAfterAKill, "at least one kill interrupted the backfill")

            // The restart plans from what is stored and fills every hole the kills left.
            let final = try await sandbox.run([
                "--once", "--json", "--config", config, "--symbols", Self.symbols.joined(separator: ","),
                "--deadline", "120", "--db", database
            ])
            #expect(final.status != 1 && final.status != 5, "exit \(final.status): \(final.stderr)")
            let report = try final.json()
            let coverage = try #require(report["coverage"] as? [[String: Any]])
            #expect(coverage.count == Self.symbols.count * 2, "daily and minute coverage of every symbol")
            for entry in coverage {
                let label = "\(entry["symbol"] as? String ?? "?") \(entry["timeframe"] as? String ?? "?")"
                #expect(entry["missingBars"] as? Int == 0, "\(label) still misses \(entry["missing"] ?? "?")")
                if (entry["symbol"] as? String)?.hasSuffix("-USD") == true, entry["timeframe"] as? String == "1Min" {
                    // Around the clock: every minute of the window is there, but the newest ones still settling.
                    #expect((entry["storedBars"] as? Int ?? 0) >= perSymbol - 2, "\(label) stored \(entry["storedBars"] ?? "?")")
                }
            }
            #expect(try Self.integrity(database) == ["ok"])
            let restored = try #require(try Self.counts(database))
            print("crash safety: after the restart \(restored); coverage complete for \(coverage.count) series")
        }
    }
}
