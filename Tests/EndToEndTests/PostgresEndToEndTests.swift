import Collector
import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The built binary on `[store] kind = "postgres"`: `--once` collects into the database named by
    /// the environment, `history` reads it back, and a wrong password or an unset variable ends the
    /// run at once without the password in any output. Needs `TICKTOP_TEST_POSTGRES_URL`.
    @Suite(
        "PostgreSQL store end to end",
        .enabled(
            if: PostgresTestDatabase.isConfigured,
            Comment(rawValue: PostgresTestDatabase.skipReason)))
    struct PostgresEndToEndTests {
        static let config = """
            [store]
            kind = "postgres"
            url_env = "TICKTOP_PG"

            [collect]
            backfill_daily_days = 30
            backfill_minute_days = 1
            """

        @Test func onceCollectsIntoPostgreSQLAndHistoryReadsItBack() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config)
            let url = try #require(try PostgresTestDatabase.url)
            let environment = ["TICKTOP_PG": try #require(ProcessInfo.processInfo.environment[PostgresTestDatabase.variable])]

            let once = try await sandbox.run(["--once", "--symbols", "AAPL", "--config", path], environment: environment)
            #expect([0, 2, 3, 4, 5].contains(once.status), "stdout: \(once.stdout) stderr: \(once.stderr)")
            #expect(once.stdout.contains(" in \(url.redacted)"), "stdout: \(once.stdout)")
            let history = try await sandbox.run(["history", "AAPL", "--config", path], environment: environment)
            #expect(history.status == 0, "stderr: \(history.stderr)")
            #expect(history.stdout.split(separator: "\n").count > 10, "stdout: \(history.stdout)")
            #expect(!(once.stdout + once.stderr + history.stdout + history.stderr).contains(try #require(url.password)))
        }

        @Test func aWrongPasswordOrAnUnsetVariableEndsTheRunAtOnceWithoutShowingTheURL() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config)
            let url = try #require(try PostgresTestDatabase.url)
            let wrong =
                "postgres://\(url.user):wrong-hunter22@\(url.host ?? "127.0.0.1"):\(url.port)/\(url.database)?sslmode=disable"
            let refused = try await sandbox.run(
                ["--once", "--symbols", "AAPL", "--config", path], environment: ["TICKTOP_PG": wrong])
            #expect(refused.status == 1, "stdout: \(refused.stdout) stderr: \(refused.stderr)")
            #expect(refused.stdout.isEmpty, "the run ends before collecting: no report")
            #expect(refused.stderr.contains("password authentication failed"), "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains("postgres://\(url.user):***@"), "stderr: \(refused.stderr)")
            #expect(!(refused.stdout + refused.stderr).contains("hunter22"))

            let database = try await sandbox.run(["db", "check", "--config", path], environment: ["TICKTOP_PG": wrong])
            #expect(database.status == 64, "stderr: \(database.stderr)")
            #expect(database.stderr.contains("`ticktop db` works on SQLite files"), "stderr: \(database.stderr)")

            let unset = try await sandbox.run(["--once", "--symbols", "AAPL", "--config", path], environment: ["TICKTOP_PG": ""])
            #expect(unset.status == 1, "stderr: \(unset.stderr)")
            #expect(unset.stderr.contains("the environment variable TICKTOP_PG is not set"), "stderr: \(unset.stderr)")
        }
    }

    /// A PostgreSQL store that refuses connections (no server needed): `--once` still collects, says
    /// the rows could not be stored (exit 1), and warns once about reading the store back, not once
    /// per symbol and series.
    @Suite("PostgreSQL store unreachable")
    struct PostgresUnreachableEndToEndTests {
        @Test func onceWarnsOnceAboutAStoreThatCannotBeReadBack() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: PostgresEndToEndTests.config)
            let result = try await sandbox.run(
                ["--once", "--symbols", "AAPL,MSFT,NVDA", "--config", path],
                environment: ["TICKTOP_PG": "postgres://ticktop:pw-hunter33@127.0.0.1:1/ticktop?sslmode=disable"])
            #expect(result.status == 1, "stdout: \(result.stdout) stderr: \(result.stderr)")
            #expect(result.stderr.contains("could not be stored"), "stderr: \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.filter { $0.contains("cannot count stored bars") }.count == 1, "stderr: \(result.stderr)")
            #expect(lines.filter { $0.contains("cannot check stored") }.count <= 1, "stderr: \(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("hunter33"))
        }
    }
}
