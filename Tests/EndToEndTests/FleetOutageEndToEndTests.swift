import Collector
import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// PostgreSQL stopped and started under a running fleet: three real `ticktop collect` and two
    /// viewers (the board under tmux, and `--once --store postgres`) on the simulated market share a
    /// PostgreSQL server of the test's own, which the test stops (`pg_ctl stop -m fast`) and starts
    /// again. The collectors keep collecting and hold their rows while it is down, reconnect by
    /// themselves and write everything once; the board says `STORE: unreachable since ...` and
    /// recovers by itself; afterwards every stored minute series is complete over the run (the
    /// market calendar's expected bars, `SeriesCoverage`) and no bar is stored twice. Needs
    /// PostgreSQL installed (`TICKTOP_TEST_POSTGRES_URL` set says so) and tmux.
    @Suite(
        "PostgreSQL stopped and started under a collector fleet",
        .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
    struct FleetOutageEndToEndTests {
        typealias Collector = CollectEndToEndTests.Collector
        /// Four 24/7 crypto symbols, so minute bars are expected whatever the day, and two equities.
        static let symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD", "AAPL", "MSFT"]
        static let config = """
            [store]
            kind = "postgres"
            url_env = "TICKTOP_PG"

            [watchlists]
            default = ["BTC-USD", "ETH-USD", "SOL-USD", "DOGE-USD", "AAPL", "MSFT"]

            [collect]
            backfill_daily_days = 5
            backfill_minute_days = 1

            [fleet]
            lease_ttl = "3s"
            renew_every = "1s"
            """

        /// The rows of the board showing each symbol with a price from SIM.
        static func showsEverySymbol(_ screen: String) -> Bool {
            let lines = screen.components(separatedBy: "\n")
            return symbols.allSatisfy { symbol in
                lines.contains { $0.hasPrefix(symbol + " ") && $0.contains(" SIM ") && !$0.contains("NO DATA") }
            }
        }

        /// An instant as the log lines start (`2026-12-06T11:30:00.326Z`): later lines sort after it.
        static func logTime(_ date: Date) -> String {
            let format = ISO8601DateFormatter()
            format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return format.string(from: date)
        }

        /// The symbols (with their holder) of every `rows dropped ... (fencing) holder=H ... symbols=AAPL=3,MSFT=1`
        /// log line at or after `since` and before `until`.
        static func fenced(since: String, until: String, in log: String) -> [(holder: String, symbol: String)] {
            log.split(separator: "\n").filter { $0 >= since && $0 < until && $0.contains("rows dropped") }.flatMap { line in
                let fields = line.split(separator: " ")
                let holder = fields.first { $0.hasPrefix("holder=") }.map { String($0.dropFirst("holder=".count)) } ?? ""
                let symbols = fields.first { $0.hasPrefix("symbols=") }.map { $0.dropFirst("symbols=".count) } ?? ""
                return symbols.split(separator: ",").map { (holder, String($0.split(separator: "=").first ?? "")) }
            }
        }

        @Test func theCollectorsHoldTheirRowsAndTheViewersRecoverByThemselves() async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            let server = try await PrivatePostgresServer.start()
            var collectors: [Collector] = []
            defer {
                for collector in collectors where collector.process.process.isRunning { kill(collector.process.pid, SIGKILL) }
            }
            do {
                try await run(server, &collectors)
            } catch {
                await server.remove()
                throw error
            }
            await server.remove()
        }

        private func run(_ server: PrivatePostgresServer, _ collectors: inout [Collector]) async throws {
            let database = try await ScratchPostgresDatabase.create(on: server.url)
            let environment = ["TICKTOP_PG": database.url]
            let runStarted = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
            let sandboxes = try (0..<4).map { _ in try TicktopProcess() }
            let paths = try sandboxes.map { try $0.write(config: Self.config) }
            for (sandbox, path) in zip(sandboxes, paths).prefix(3) {
                collectors.append(try await Collector.start(sandbox, ["--config", path], environment: environment))
            }
            let viewerHome = sandboxes[3].home.url.path
            let board = try TmuxSession(
                command: "\(TicktopProcess.binary.path) --store postgres --config \(paths[3])",
                environment: environment.merging([
                    "HOME": viewerHome, "XDG_CONFIG_HOME": viewerHome + "/config", "XDG_DATA_HOME": viewerHome + "/data",
                    "XDG_STATE_HOME": viewerHome + "/state", "TERM": "xterm-256color", "LANG": "C.UTF-8"
                ]) { $1 },
                width: 160, height: 45)

            // 1. The fleet splits the symbols; the board shows every symbol's price and the three collectors.
            let ids = try await FleetEndToEndTests.waitFor("every symbol leased by the three collectors", limit: .seconds(120)) {
                () async throws -> [String]? in
                let holders = try await FleetEndToEndTests.holders(database)
                guard Set(holders.keys) == Set(Self.symbols), Set(holders.values).count == 3 else { return nil }
                return Array(Set(holders.values))
            }
            try await board.waitFor("every price and the three collectors", timeout: .seconds(60)) { screen in
                Self.showsEverySymbol(screen) && screen.contains("COLLECTORS (3 alive") && ids.allSatisfy(screen.contains)
            }
            // Each collector collects what it holds: a lease handed over in the store is collected only after its new
            // holder's next round (a stop just before it left that collector with nothing to collect or hold).
            for collector in collectors {
                _ = try await collector.waitFor("its own symbols collected") { metrics, health in
                    !health.body.contains("\"fleet_symbols\":0")
                        && CollectEndToEndTests.total("ticktop_values_out_total", in: metrics) > 0
                }
            }

            // 2. PostgreSQL stops. The board says the store is unreachable (its connection was closed); each collector
            // goes on collecting, holds the rows it cannot write, and says on /healthz that the fleet's rounds fail.
            let collectedBefore = try await collectors.asyncMap { collector in
                CollectEndToEndTests.total("ticktop_values_out_total", in: try await collector.get("/metrics").body)
            }
            let heldAtStop = try await FleetEndToEndTests.holders(database)
            let stoppedAt = Self.logTime(Date())
            try await server.down()
            let screenDuring = try await board.waitFor("the outage banner", timeout: .seconds(60)) {
                $0.contains("STORE: unreachable since ")
            }
            #expect(Self.showsEverySymbol(screenDuring), "the prices stay on the board: \(screenDuring)")
            for (collector, before) in zip(collectors, collectedBefore) {
                _ = try await collector.waitFor("rows held and the fleet's rounds failing", limit: .seconds(120)) {
                    metrics, health in
                    health.status == 503 && health.body.contains("fleet rounds failing since ")
                        && (CollectEndToEndTests.sample("ticktop_store_rows_waiting", in: metrics) ?? 0) > 0
                        && CollectEndToEndTests.total("ticktop_values_out_total", in: metrics) > before
                }
            }
            let once = try await sandboxes[3].run(
                ["--once", "--store", "postgres", "--config", paths[3]], environment: environment)
            #expect(once.status == 1, "stdout: \(once.stdout) stderr: \(once.stderr)")
            #expect(once.stderr.contains("ticktop: store unreachable: "), "stderr: \(once.stderr)")

            // 3. PostgreSQL is back. The board recovers by itself; each collector rejoins, writes what it held (nothing is
            // left waiting, nothing dropped) and stores new quotes; the three collectors split the symbols again.
            try await server.up()
            let restarted = Int64(Date().timeIntervalSince1970 * 1e9)
            for collector in collectors {
                _ = try await collector.waitFor("the held rows written and the fleet rejoined", limit: .seconds(120)) {
                    metrics, health in
                    health.status == 200 && (CollectEndToEndTests.sample("ticktop_store_rows_waiting", in: metrics) ?? 1) == 0
                }
            }
            try await FleetEndToEndTests.waitFor("new quotes of every symbol and the symbols split again", limit: .seconds(60)) {
                () async throws -> Bool? in
                let received = try await FleetEndToEndTests.quotesReceived(database)
                let holders = try await FleetEndToEndTests.holders(database)
                return Self.symbols.allSatisfy { (received[$0] ?? 0) > restarted } && Set(holders.keys) == Set(Self.symbols)
                    && Set(holders.values) == Set(ids) ? true : nil
            }
            try await board.waitFor("the board recovered", timeout: .seconds(60)) { screen in
                !screen.contains("STORE: unreachable") && Self.showsEverySymbol(screen) && screen.contains("COLLECTORS (3 alive")
            }
            let viewed = try await sandboxes[3].run(
                ["--once", "--store", "postgres", "--config", paths[3]], environment: environment)
            #expect(viewed.status == 0, "stdout: \(viewed.stdout) stderr: \(viewed.stderr)")
            for symbol in Self.symbols {
                let row = viewed.stdout.split(separator: "\n").first { $0.hasPrefix(symbol + " ") }
                #expect(row?.contains(" SIM ") == true && row?.contains("NO DATA") == false, "\(symbol): \(viewed.stdout)")
            }
            #expect(viewed.stdout.contains("COLLECTORS (") && ids.allSatisfy(viewed.stdout.contains), "\(viewed.stdout)")

            // 4. The collectors drain and leave: exit 0 (every collected row stored). Each kept the leases it held at the
            // stop through the outage: since the stop, none dropped rows of those symbols by fencing (rows of symbols it
            // had handed over before, at the start's rebalance, may be). The board then says no collector is alive.
            // Fencing is judged from the stop to the drain: on the drain, leases move as the collectors leave one by
            // one (a drain's own fencing, if any, is printed, not judged here: see FleetCoordinatorTests' hand-overs).
            let drainStarted = Self.logTime(Date())
            for collector in collectors {
                kill(collector.process.pid, SIGTERM)
                let output = await collector.process.wait()
                #expect(output.status == 0, "stderr: \(output.stderr)")
                let fenced = Self.fenced(since: stoppedAt, until: drainStarted, in: output.stderr)
                    .filter { heldAtStop[$0.symbol] == $0.holder }
                #expect(fenced.isEmpty, "rows of symbols held at the stop fenced after it: \(fenced) (held: \(heldAtStop))")
                let onDrain = Self.fenced(since: drainStarted, until: "9", in: output.stderr)
                if !onDrain.isEmpty { print("fleet outage: rows fenced on the drain: \(onDrain)") }
            }
            let drained = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
            try await board.waitFor("no collector alive", timeout: .seconds(60)) {
                $0.contains("no collector alive since ") && $0.contains("COLLECTORS (0 alive")
            }
            try await board.send("q")
            let last = try await board.waitFor("the board's exit status") { $0.contains("EXITED") }
            #expect(last.contains("EXITED 0"), "\(last)")

            // 5. Every stored minute series is complete over the run (from an hour before the start, the backfill's part,
            // through the drain) and no bar is stored twice or rewritten.
            let store = try PostgresStore(url: try PostgresURL(database.url), tls: .disable)
            for symbol in Self.symbols {
                let coverage = try await SeriesCoverage.check(
                    try Symbol(symbol), .oneMinute, in: (runStarted - .seconds(3_600))...drained, store: store)
                #expect(coverage.isComplete, "\(symbol): \(coverage.missingBars) minute bars missing: \(coverage.missing)")
            }
            await store.close()
            let doubled = try await database.count(
                "SELECT count(*) FROM (SELECT 1 FROM bars GROUP BY symbol, timeframe, start HAVING count(*) > 1) AS twice")
            #expect(doubled == 0, "bars stored twice at one start")
            let revised = try await database.count("SELECT count(*) FROM bar_revisions")
            #expect(revised == 0, "stored bars written again with other values")
        }
    }
}

extension Array {
    /// `map` with an async transform, one element after another.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
