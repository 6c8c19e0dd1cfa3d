import Collector
import CollectorTestSupport
import Foundation
import GRDB
import Testing

extension EndToEnd {
    /// The real `ticktop collect` on the simulated market: it serves /metrics and /healthz on a
    /// free loopback port, drains on SIGTERM (pending writes reach the database), exits with the
    /// documented status, and logs one plain line per event on stderr.
    @Suite("ticktop collect end to end")
    struct CollectEndToEndTests {
        /// A started `ticktop collect` and the address its endpoint took.
        struct Collector {
            let process: TicktopProcess.Running
            let baseURL: String

            /// Starts `collect` with `--listen 127.0.0.1:0` and `--log-file`; returns once the log names the port.
            static func start(
                _ sandbox: TicktopProcess, _ arguments: [String], environment: [String: String] = [:]
            ) async throws -> Collector {
                let log = sandbox.home.url.appendingPathComponent("collect.log").path
                let process = try sandbox.start(
                    ["collect", "--listen", "127.0.0.1:0", "--log-file", log] + arguments, environment: environment)
                let marker = "serving /metrics and /healthz on "
                let started = ContinuousClock.now
                while true {
                    let text = FileManager.default.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }),
                        let range = line.range(of: marker)
                    {
                        return Collector(process: process, baseURL: String(line[range.upperBound...]))
                    }
                    guard ContinuousClock.now - started < .seconds(60) else {
                        kill(process.pid, SIGKILL)
                        let output = await process.wait()
                        Issue.record("the endpoint never started; stderr: \(output.stderr)")
                        throw CancellationError()
                    }
                    try await Task.sleep(for: .milliseconds(50))  // polling a child process; nothing else to wait on
                }
            }

            func get(_ path: String) async throws -> (status: Int, body: String) {
                let response = try await AsyncHTTPTransport().send(HTTPRequest(url: baseURL + path, timeout: .seconds(10)))
                return (response.status, response.bodyText)
            }

            /// Scrapes until `condition` holds for the /metrics text and the /healthz answer (`limit` at most).
            func waitFor(
                _ what: String, limit: Duration = .seconds(60),
                _ condition: (_ metrics: String, _ health: (status: Int, body: String)) -> Bool
            ) async throws -> (metrics: String, health: (status: Int, body: String)) {
                let started = ContinuousClock.now
                while true {
                    let metrics = try await get("/metrics").body
                    let health = try await get("/healthz")
                    if condition(metrics, health) { return (metrics, health) }
                    try #require(ContinuousClock.now - started < limit, "never: \(what); last /healthz: \(health.body)")
                    try await Task.sleep(for: .milliseconds(100))  // polling a child process; nothing else to wait on
                }
            }
        }

        /// The value of one sample in Prometheus text, e.g. `ticktop_values_out_total{source="sim"}`.
        static func sample(_ name: String, in text: String) -> Double? {
            for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
                return Double(line.dropFirst(name.count + 1))
            }
            return nil
        }

        /// The sum of every sample of a metric family (all label sets).
        static func total(_ family: String, in text: String) -> Double {
            text.split(separator: "\n").filter { $0.hasPrefix(family + "{") || $0.hasPrefix(family + " ") }
                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }

        @Test func servesMetricsAndHealthThenDrainsOnSIGTERMIntoSQLite() async throws {
            let sandbox = try TicktopProcess()
            // The writer would only write after an hour: what is stored after the signal was flushed by the drain.
            let config = try sandbox.write(
                config: """
                    [store]
                    flush_interval = "1h"
                    batch_size = 100000

                    [collect]
                    backfill_daily_days = 5
                    backfill_minute_days = 1
                    """, name: "config-\u{1B}[31m-\n.toml")  // logged as `config=`: an escape code and a line break to neutralise
            let collector = try await Collector.start(
                sandbox, ["--config", config, "--symbols", "BTC-USD,AAPL", "--db", sandbox.databasePath])
            let (metrics, health) = try await collector.waitFor("SIM streams values into the state") { metrics, health in
                // Both documents say streaming: they are fetched one after the other, so /healthz can
                // already say so while the metrics read a moment earlier still had SIM connecting.
                (Self.sample(#"ticktop_values_out_total{source="sim"}"#, in: metrics) ?? 0) > 0
                    && health.body.contains(#""sim":"streaming""#)
                    && Self.sample(#"ticktop_source_state{source="sim",state="streaming"}"#, in: metrics) == 1
            }
            #expect(health.status == 200, "\(health.body)")
            #expect(health.body.contains(#""status":"ok""#), "\(health.body)")
            #expect(Self.sample(#"ticktop_source_state{source="sim",state="streaming"}"#, in: metrics) == 1, "\(metrics)")
            #expect(Self.sample(#"ticktop_source_state{source="sim",state="down"}"#, in: metrics) == 0)
            #expect(Self.sample("ticktop_store_write_failures_total", in: metrics) == 0)
            #expect(Self.sample("ticktop_store_rows_waiting", in: metrics) == 0)
            #expect(metrics.contains("# TYPE ticktop_values_in_total counter"))
            #expect((Self.sample(#"ticktop_stream_messages_in_total{source="sim"}"#, in: metrics) ?? 0) > 0, "\(metrics)")
            #expect((Self.sample(#"ticktop_stream_messages_out_total{source="sim"}"#, in: metrics) ?? 0) > 0, "the subscription")
            let writtenBefore = Self.total("ticktop_store_rows_written_total", in: metrics)
            #expect(try await collector.get("/nothing-here").status == 404)

            kill(collector.process.pid, SIGTERM)
            let output = await collector.process.wait()
            #expect(output.status == 0, "stderr: \(output.stderr)")
            #expect(output.stdout.isEmpty, "collect prints nothing on stdout")
            #expect(output.stderr.contains("SIGTERM received: draining"), "stderr: \(output.stderr)")
            #expect(output.stderr.contains("notice ticktop: drained: "), "stderr: \(output.stderr)")
            #expect(
                !output.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no escape codes or control characters")
            #expect(output.stderr.contains(#"config-\u{1B}[31m-\u{A}.toml"#), "written escaped: \(output.stderr)")
            let lines = output.stderr.split(separator: "\n")
            #expect(lines.allSatisfy { $0.contains(" ticktop: ") }, "one log line per event: \(output.stderr)")

            let queue = try DatabaseQueue(path: sandbox.databasePath)
            let (minuteBars, quotes, rows) = try await queue.read { db in
                let minute =
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars WHERE symbol = 'BTC-USD' AND timeframe = '1Min'") ?? 0
                let quotes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM latest_quotes") ?? 0
                let bars = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM bars") ?? 0
                return (minute, quotes, bars + quotes)
            }
            #expect(minuteBars >= 1_438, "the minute backfill was written by the drain")
            #expect(quotes >= 2, "the latest quote of each symbol was written by the drain")
            #expect(Double(rows) > writtenBefore, "rows pending at the signal were written: \(rows) vs \(writtenBefore) before")
        }

        /// A PostgreSQL store that refuses connections: the collector cannot join the fleet (its rounds fail),
        /// /healthz says so once they have failed for a renewal interval, and the drain ends with exit 1
        /// saying it never joined, the password never shown.
        @Test func aFailingStoreIsUnhealthyAndTheDrainExitsOne() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [store]
                    kind = "postgres"
                    url_env = "TICKTOP_PG"

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 0
                    """)
            let collector = try await Collector.start(
                sandbox, ["--config", config, "--symbols", "BTC-USD"],
                environment: ["TICKTOP_PG": "postgres://ticktop:pw-hunter44@127.0.0.1:1/ticktop?sslmode=disable"])
            // Rounds fail at once (connection refused) and are retried every renew_every (5 s); allow for a loaded machine.
            // The metrics are read before /healthz: wait until both show the second failure.
            let (metrics, health) = try await collector.waitFor("the fleet rounds fail", limit: .seconds(150)) { metrics, health in
                health.status == 503 && (Self.sample("ticktop_fleet_round_failures_total", in: metrics) ?? 0) >= 2
            }
            #expect(health.body.contains(#""status":"unhealthy""#), "\(health.body)")
            #expect(health.body.contains("cannot join the fleet: store unreachable since "), "\(health.body)")
            #expect(health.body.contains(#""fleet_symbols":0"#), "\(health.body)")
            #expect((Self.sample("ticktop_fleet_round_failures_total", in: metrics) ?? 0) >= 2, "\(metrics)")

            kill(collector.process.pid, SIGTERM)
            let output = await collector.process.wait()
            #expect(output.status == 1, "stderr: \(output.stderr)")
            #expect(output.stderr.contains("fleet: round failed"), "the first failure is logged: \(output.stderr)")
            #expect(
                output.stderr.contains("ticktop: this collector never joined the fleet (store unreachable since "),
                "stderr: \(output.stderr)")
            #expect(!(output.stderr + health.body + metrics).contains("hunter44"))
        }

        /// The drain's last write waits for a lock this test holds on the database (SQLite gives up after 5 s), so a
        /// second signal sent as soon as the log says the drain started arrives during it: the process exits at
        /// once (exit 1, saying so) without finishing the drain.
        @Test func aSecondSignalDuringTheDrainExitsAtOnce() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [store]
                    flush_interval = "1h"
                    batch_size = 100000

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 0
                    """)
            let collector = try await Collector.start(
                sandbox, ["--config", config, "--symbols", "BTC-USD", "--db", sandbox.databasePath])
            _ = try await collector.waitFor("SIM streams") { _, health in health.body.contains(#""sim":"streaming""#) }
            var unsafe = Configuration()
            unsafe.allowsUnsafeTransactions = true  // the transaction spans two accesses
            let lock = try DatabaseQueue(path: sandbox.databasePath, configuration: unsafe)
            try lock.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }  // held until the process has ended

            kill(collector.process.pid, SIGTERM)
            let log = sandbox.home.url.appendingPathComponent("collect.log").path
            let started = ContinuousClock.now
            while !(FileManager.default.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? "")
                .contains("SIGTERM received: draining")
            {
                try #require(ContinuousClock.now - started < .seconds(30), "the drain never started")
                try await Task.sleep(for: .milliseconds(20))  // polling a child process; nothing else to wait on
            }
            kill(collector.process.pid, SIGTERM)
            let output = await collector.process.wait()
            try lock.inDatabase { try $0.execute(sql: "ROLLBACK") }
            #expect(output.status == 1, "stderr: \(output.stderr)")
            #expect(
                output.stderr.contains("ticktop: SIGTERM during the drain: exiting at once; pending writes are not flushed"),
                "stderr: \(output.stderr)")
            #expect(!output.stderr.contains("drained:"), "the drain did not finish: \(output.stderr)")
        }

        @Test func aBusyListenAddressEndsTheRunNamingIt() async throws {
            let sandbox = try TicktopProcess()
            let first = try await Collector.start(sandbox, ["--symbols", "AAPL", "--db", sandbox.databasePath])
            let port = try #require(first.baseURL.split(separator: ":").last)
            let second = try await sandbox.run(
                ["collect", "--symbols", "AAPL", "--listen", "127.0.0.1:\(port)", "--db", sandbox.databasePath + "-2"])
            kill(first.process.pid, SIGTERM)
            _ = await first.process.wait()
            #expect(second.status == 1, "stderr: \(second.stderr)")
            #expect(
                second.stderr.contains("cannot serve /metrics and /healthz on 127.0.0.1:\(port): address already in use"),
                "stderr: \(second.stderr)")
        }
    }

    /// `ticktop collect` on `[store] kind = "postgres"`: the drain after SIGINT writes what is pending
    /// into PostgreSQL (the writer would otherwise wait an hour), and no output shows the password.
    /// Needs `TICKTOP_TEST_POSTGRES_URL`.
    @Suite(
        "ticktop collect into PostgreSQL",
        .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
    struct CollectPostgresEndToEndTests {
        @Test func drainsIntoPostgreSQLOnSIGINT() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [store]
                    kind = "postgres"
                    url_env = "TICKTOP_PG"
                    flush_interval = "1h"
                    batch_size = 100000

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 1
                    """)
            let url = try #require(try PostgresTestDatabase.url)
            let environment = ["TICKTOP_PG": try #require(ProcessInfo.processInfo.environment[PostgresTestDatabase.variable])]
            let collector = try await CollectEndToEndTests.Collector.start(
                sandbox, ["--config", config, "--symbols", "ETH-USD"], environment: environment)
            let (_, health) = try await collector.waitFor("SIM streams ETH-USD") { metrics, health in
                (CollectEndToEndTests.sample(#"ticktop_values_out_total{source="sim"}"#, in: metrics) ?? 0) > 0
                    && health.status == 200
            }
            kill(collector.process.pid, SIGINT)
            let output = await collector.process.wait()
            #expect(output.status == 0, "stderr: \(output.stderr)")
            #expect(output.stderr.contains("SIGINT received: draining"), "stderr: \(output.stderr)")
            #expect(output.stderr.contains("store=\(url.redacted)"), "the store is named without its password: \(output.stderr)")
            let history = try await sandbox.run(
                ["history", "ETH-USD", "--timeframe", "1Min", "--limit", "2000", "--config", config], environment: environment)
            #expect(history.status == 0, "stderr: \(history.stderr)")
            #expect(history.stdout.split(separator: "\n").count >= 1_438, "the minute backfill reached PostgreSQL in the drain")
            #expect(!(output.stderr + health.body + history.stdout + history.stderr).contains(try #require(url.password)))
        }
    }
}
