import Collector
import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The built binary as a terminal following a shared store (`--store postgres`): `--once` reads
    /// what a collecting run stored, labelled with its source; a store that refuses connections ends
    /// it with exit 1 without the password; a configuration without a PostgreSQL store is refused.
    @Suite("Following a shared store end to end")
    struct ViewerEndToEndTests {
        @Test(.enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
        func onceReadsWhatACollectingRunStored() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: PostgresEndToEndTests.config)
            let url = try #require(try PostgresTestDatabase.url)
            let environment = ["TICKTOP_PG": try #require(ProcessInfo.processInfo.environment[PostgresTestDatabase.variable])]
            let collected = try await sandbox.run(["--once", "--symbols", "AMD", "--config", path], environment: environment)
            #expect([0, 2, 3, 4, 5].contains(collected.status), "stderr: \(collected.stderr)")

            let viewed = try await sandbox.run(
                ["--once", "--store", "postgres", "--symbols", "AMD", "--config", path], environment: environment)
            #expect([0, 2, 3, 4].contains(viewed.status), "stdout: \(viewed.stdout) stderr: \(viewed.stderr)")
            let row = try #require(viewed.stdout.split(separator: "\n").first { $0.hasPrefix("AMD ") }, "stdout: \(viewed.stdout)")
            #expect(row.contains(" SIM "), "the stored quote with its source: \(row)")
            #expect(!row.contains("NO DATA"), "\(row)")
            #expect(!(viewed.stdout + viewed.stderr).contains(try #require(url.password)))
        }

        @Test func onceOnAStoreThatRefusesConnectionsExitsOneWithoutThePassword() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: PostgresEndToEndTests.config)
            let result = try await sandbox.run(
                ["--once", "--store", "postgres", "--symbols", "AAPL", "--config", path],
                environment: ["TICKTOP_PG": "postgres://ticktop:pw-hunter44@127.0.0.1:1/ticktop?sslmode=disable"])
            #expect(result.status == 1, "stdout: \(result.stdout) stderr: \(result.stderr)")
            #expect(result.stdout.isEmpty, "no report of a store not read")
            #expect(result.stderr.contains("ticktop: store unreachable: "), "stderr: \(result.stderr)")
            #expect(result.stderr.contains("cannot connect to the server"), "stderr: \(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("hunter44"))
        }

        @Test func storePostgresNeedsAPostgreSQLStoreInTheConfiguration() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: "[store]\nkind = \"sqlite\"\n")
            let result = try await sandbox.run(["--once", "--store", "postgres", "--symbols", "AAPL", "--config", path])
            #expect(result.status == 78, "stderr: \(result.stderr)")
            #expect(result.stderr.contains("has [store] kind = \"sqlite\""), "stderr: \(result.stderr)")
            #expect(result.stderr.contains(path), "names the file: \(result.stderr)")
        }
    }
}
