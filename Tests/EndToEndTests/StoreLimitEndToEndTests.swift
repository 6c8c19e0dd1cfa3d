import Foundation
import Testing

extension EndToEnd {
    /// A full disk without root tricks: `[store] max_size` caps the database, and a full database
    /// behaves like a full disk (rows kept in the spill file, exit 1 naming them, nothing stored lost).
    @Suite("store size limit end to end")
    struct StoreLimitEndToEndTests {
        static let collect = """
            [collect]
            backfill_daily_days = 5
            backfill_minute_days = 1
            """

        @Test func aFullDatabaseKeepsWhatItHoldsAndWhatItCouldNotStore() async throws {
            let sandbox = try TicktopProcess()
            let db = sandbox.databasePath
            let spill = db + ".spill.jsonl"
            let roomy = try sandbox.write(config: Self.collect, name: "roomy.toml")
            let first = try await sandbox.run(["--once", "--config", roomy, "--symbols", "AAPL", "--db", db])
            #expect([0, 2, 3, 4, 5].contains(first.status), "stderr: \(first.stderr)")
            let stored = try await sandbox.run(["db", "export", "bars", "--symbols", "AAPL", "--db", db])
            #expect(stored.status == 0 && stored.stdout.split(separator: "\n").count > 10, "stderr: \(stored.stderr)")

            // The schema alone takes more than 64KB: every write that needs a new page fails.
            let tiny = try sandbox.write(config: Self.collect + "\n[store]\nmax_size = \"64KB\"\n", name: "tiny.toml")
            let full = try await sandbox.run(["--once", "--config", tiny, "--symbols", "MSFT", "--db", db])
            #expect(full.status == 1, "stdout: \(full.stdout) stderr: \(full.stderr)")
            #expect(full.stderr.contains("could not be stored (database full (max_size 64KB)): "), "stderr: \(full.stderr)")
            #expect(full.stderr.contains(" kept in \(spill) for the next start"), "stderr: \(full.stderr)")
            #expect(FileManager.default.fileExists(atPath: spill))
            let after = try await sandbox.run(["db", "export", "bars", "--symbols", "AAPL", "--db", db])
            #expect(after.stdout == stored.stdout, "the bars stored before are intact")
            let check = try await sandbox.run(["db", "check", "--db", db])
            #expect(check.stdout.contains("integrity: ok"), "stdout: \(check.stdout) stderr: \(check.stderr)")

            // With room again, the next start writes what was kept.
            let again = try await sandbox.run(["--once", "--config", roomy, "--symbols", "MSFT", "--db", db])
            #expect([0, 2, 3, 4, 5].contains(again.status), "stderr: \(again.stderr)")
            #expect(!FileManager.default.fileExists(atPath: spill))
            let msft = try await sandbox.run(["db", "export", "bars", "--symbols", "MSFT", "--db", db])
            #expect(msft.stdout.split(separator: "\n").count > 10)
        }

        /// `ticktop backfill` writes through the same path: rows it cannot store are kept and named.
        @Test func aBackfillIntoAFullDatabaseKeepsItsRowsAndExits1() async throws {
            let sandbox = try TicktopProcess()
            let db = sandbox.databasePath
            let spill = db + ".spill.jsonl"
            let roomy = try sandbox.write(config: Self.collect, name: "roomy.toml")
            let first = try await sandbox.run(["backfill", "AAPL", "--from", "2026-10-01", "--config", roomy, "--db", db])
            #expect(first.status == 0, "stdout: \(first.stdout) stderr: \(first.stderr)")
            let stored = try await sandbox.run(["db", "export", "bars", "--symbols", "AAPL", "--db", db])
            #expect(stored.stdout.split(separator: "\n").count > 10)

            let tiny = try sandbox.write(config: Self.collect + "\n[store]\nmax_size = \"64KB\"\n", name: "tiny.toml")
            let full = try await sandbox.run(["backfill", "MSFT", "--from", "2026-01-01", "--config", tiny, "--db", db])
            #expect(full.status == 1, "stdout: \(full.stdout) stderr: \(full.stderr)")
            #expect(full.stderr.contains("could not be stored (database full (max_size 64KB)): "), "stderr: \(full.stderr)")
            #expect(full.stderr.contains(" kept in \(spill) for the next start"), "stderr: \(full.stderr)")
            #expect(!full.stderr.contains("windows are still missing"), "the windows were fetched")
            #expect(FileManager.default.fileExists(atPath: spill))
            let after = try await sandbox.run(["db", "export", "bars", "--symbols", "AAPL", "--db", db])
            #expect(after.stdout == stored.stdout, "the bars stored before are intact")

            let again = try await sandbox.run(["backfill", "MSFT", "--from", "2026-01-01", "--config", roomy, "--db", db])
            #expect(again.status == 0, "stdout: \(again.stdout) stderr: \(again.stderr)")
            #expect(!FileManager.default.fileExists(atPath: spill))
            let msft = try await sandbox.run(["db", "export", "bars", "--symbols", "MSFT", "--db", db])
            #expect(msft.stdout.split(separator: "\n").count > 100)
        }

        @Test func aBadMaxSizeIsNamedWithItsFileAndLine() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(config: "[store]\nmax_size = \"half a disk\"\n")
            let output = try await sandbox.run(["--once", "--config", config, "--db", sandbox.databasePath])
            #expect(output.status == 78)
            #expect(
                output.stderr.contains("\(config):2: store.max_size: expected \"off\" or a size like \"500MB\""),
                "stderr: \(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: sandbox.databasePath))
        }
    }
}
