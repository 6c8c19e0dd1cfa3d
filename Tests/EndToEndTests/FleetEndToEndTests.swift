import Collector
import CollectorTestSupport
import Foundation
import PostgresNIO
import Testing

extension EndToEnd {
    /// Three real `ticktop collect` processes on the simulated market share one scratch PostgreSQL
    /// database as a fleet (`[fleet] lease_ttl = "3s"` to keep it short): they split the symbols,
    /// one is killed with SIGKILL, the two others take its symbols over within the TTL plus 5 s and
    /// collect them, no bar is stored twice, a survivor's /metrics answers, a `--once --store
    /// postgres` viewer shows every symbol, and the survivors drain and leave. Needs
    /// `TICKTOP_TEST_POSTGRES_URL`.
    @Suite(
        "A collector fleet end to end",
        .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
    struct FleetEndToEndTests {
        typealias Collector = CollectEndToEndTests.Collector
        static let symbols = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META"]
        static let ttl = Duration.seconds(3)

        /// Polls the store (or a process) until `condition` gives a value, `limit` at most.
        @discardableResult
        static func waitFor<T>(_ what: String, limit: Duration, _ condition: () async throws -> T?) async throws -> T {
            let started = ContinuousClock.now
            while true {
                if let value = try await condition() { return value }
                try #require(ContinuousClock.now - started < limit, "never: \(what)")
                try await Task.sleep(for: .milliseconds(100))  // polling other processes' store; nothing else to wait on
            }
        }

        /// The holder of each leased symbol.
        static func holders(_ database: ScratchPostgresDatabase) async throws -> [String: String] {
            let sql = "SELECT symbol, holder FROM fleet_leases WHERE holder IS NOT NULL"
            return Dictionary(uniqueKeysWithValues: try await database.rows(sql) { try $0.decode((String, String).self) })
        }

        /// The holder of each leased symbol once no hand-over is pending (nil while a holder is still
        /// asked to give a symbol to its successor: a rebalance not finished), read in one statement.
        static func settledHolders(_ database: ScratchPostgresDatabase) async throws -> [String: String]? {
            let sql = "SELECT symbol, holder, successor FROM fleet_leases WHERE holder IS NOT NULL"
            let leases = try await database.rows(sql) { try $0.decode((String, String, String?).self) }
            guard leases.allSatisfy({ $0.2 == nil }) else { return nil }
            return Dictionary(uniqueKeysWithValues: leases.map { ($0.0, $0.1) })
        }

        /// The newest `received_at` (ns) of each symbol's stored quote.
        static func quotesReceived(_ database: ScratchPostgresDatabase) async throws -> [String: Int64] {
            let sql = "SELECT symbol, max(received_at) FROM latest_quotes GROUP BY symbol"
            return Dictionary(uniqueKeysWithValues: try await database.rows(sql) { try $0.decode((String, Int64).self) })
        }

        @Test func threeCollectorsSplitTheSymbolsAndTakeOverAKilledOneWithinTheTTLPlusFiveSeconds() async throws {
            let database = try await ScratchPostgresDatabase.create()
            let environment = ["TICKTOP_PG": database.url]
            let config = """
                [store]
                kind = "postgres"
                url_env = "TICKTOP_PG"

                [collect]
                backfill_daily_days = 30
                backfill_minute_days = 0

                [fleet]
                lease_ttl = "3s"
                renew_every = "1s"
                """
            let sandboxes = try (0..<3).map { _ in try TicktopProcess() }
            let paths = try sandboxes.map { try $0.write(config: config) }
            var collectors: [Collector] = []
            defer {
                for collector in collectors where collector.process.process.isRunning { kill(collector.process.pid, SIGKILL) }
            }
            for (sandbox, path) in zip(sandboxes, paths) {
                collectors.append(
                    try await Collector.start(
                        sandbox, ["--config", path, "--symbols", Self.symbols.joined(separator: ",")],
                        environment: environment))
            }

            // 1. The split: every symbol is leased, each of the three holds two, and every symbol's quote and daily bars
            // are stored. Read once the split is settled: while the later collectors join, a holder still hands its
            // surplus over (two-step: it writes what it holds for them first), so all three may already hold symbols,
            // one of them three, with a hand-over pending.
            let (members, before) = try await Self.waitFor(
                "every symbol leased by the three collectors, no hand-over pending, and stored", limit: .seconds(120)
            ) { () async throws -> ([Int32: String], [String: String])? in
                guard let holders = try await Self.settledHolders(database) else { return nil }
                let quoted = try await Self.quotesReceived(database)
                let barred = try await database.rows("SELECT DISTINCT symbol FROM bars WHERE timeframe = '1Day'") {
                    try $0.decode(String.self)
                }
                guard Set(holders.keys) == Set(Self.symbols), Set(holders.values).count == 3,
                    Set(quoted.keys).isSuperset(of: Self.symbols), Set(barred).isSuperset(of: Self.symbols)
                else { return nil }
                let ids = try await database.rows("SELECT id, pid FROM fleet_collectors WHERE stopped_at IS NULL") {
                    try $0.decode((String, Int64).self)
                }
                return (Dictionary(uniqueKeysWithValues: ids.map { (Int32($0.1), $0.0) }), holders)
            }
            #expect(
                Dictionary(grouping: before.values, by: { $0 }).values.allSatisfy { $0.count == 2 },
                "a fair split, two symbols each: \(before)")
            let victim = collectors[0]
            let victimID = try #require(members[victim.process.pid], "the killed collector is in the registry: \(members)")
            let lost = Set(before.filter { $0.value == victimID }.keys)
            #expect(lost.count == 2, "\(before)")

            // 2. kill -9: the survivors take the victim's symbols over within TTL + 5 s, and store new quotes of them.
            let killedAt = Int64(Date().timeIntervalSince1970 * 1e9)
            let killed = ContinuousClock.now
            kill(victim.process.pid, SIGKILL)
            _ = await victim.process.wait()
            let takenOver = try await Self.waitFor("the survivors holding the killed collector's symbols", limit: .seconds(60)) {
                () async throws -> Duration? in
                let holders = try await Self.holders(database)
                let moved = lost.allSatisfy { holders[$0] != nil && holders[$0] != victimID }
                return moved ? ContinuousClock.now - killed : nil
            }
            print("fleet takeover after SIGKILL: \(takenOver) (lease_ttl 3s, renew_every 1s)")
            #expect(takenOver < Self.ttl + .seconds(5), "taken over in \(takenOver)")
            try await Self.waitFor("new quotes of the taken-over symbols", limit: .seconds(30)) { () async throws -> Bool? in
                let received = try await Self.quotesReceived(database)
                return lost.allSatisfy { (received[$0] ?? 0) > killedAt } ? true : nil
            }
            let after = try await Self.holders(database)
            #expect(Set(after.keys) == Set(Self.symbols) && !after.values.contains(victimID), "\(after)")

            // 3. No bar stored twice: none under two sources at one start, none rewritten with other values.
            let doubled = try await database.count(
                "SELECT count(*) FROM (SELECT 1 FROM bars GROUP BY symbol, timeframe, start HAVING count(*) > 1) AS twice")
            #expect(doubled == 0, "bars stored twice at one start")
            let revised = try await database.count("SELECT count(*) FROM bar_revisions")
            #expect(revised == 0, "stored bars written again with other values")
            let daily = try await database.count("SELECT count(*) FROM bars WHERE timeframe = '1Day'")
            #expect(daily >= 6 * 20, "the daily backfill of every symbol")

            // 4. A survivor's /metrics names the fleet's, the store's and the source's metrics; its /healthz is 200.
            let survivor = collectors[1]
            let metrics = try await survivor.get("/metrics").body
            for name in [
                "ticktop_fleet_symbols_held", "ticktop_fleet_last_round_timestamp_seconds", "ticktop_fleet_round_failures_total",
                "ticktop_store_rows_written_total", "ticktop_values_out_total", "ticktop_source_state",
                "ticktop_store_write_failures_total"
            ] {
                #expect(metrics.contains("# TYPE \(name) "), "\(name) in /metrics")
            }
            #expect(CollectEndToEndTests.sample("ticktop_fleet_symbols_held", in: metrics) == 3, "\(metrics)")
            let health = try await survivor.get("/healthz")
            #expect(health.status == 200 && health.body.contains(#""fleet_symbols":3"#), "\(health.body)")

            // 5. A viewer (`--once --store postgres`) shows every symbol's stored quote.
            let viewed = try await sandboxes[0].run(
                ["--once", "--store", "postgres", "--symbols", Self.symbols.joined(separator: ","), "--config", paths[0]],
                environment: environment)
            #expect([0, 2, 3, 4].contains(viewed.status), "stdout: \(viewed.stdout) stderr: \(viewed.stderr)")
            for symbol in Self.symbols {
                let row = viewed.stdout.split(separator: "\n").first { $0.hasPrefix(symbol + " ") }
                #expect(row?.contains(" SIM ") == true && row?.contains("NO DATA") == false, "\(symbol): \(viewed.stdout)")
            }

            // 6. The survivors drain on SIGTERM and leave the fleet: exit 0, every lease released.
            for collector in collectors.dropFirst() {
                kill(collector.process.pid, SIGTERM)
                let output = await collector.process.wait()
                #expect(output.status == 0, "stderr: \(output.stderr)")
                #expect(output.stderr.contains("fleet: left, leases handed over"), "stderr: \(output.stderr)")
            }
            #expect(try await Self.holders(database).isEmpty, "the last collector to leave released every lease")
            try await database.drop()
        }
    }
}
