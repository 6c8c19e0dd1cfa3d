import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `ticktop db backup | restore | check | export | prune` and `history --revisions` through the
    /// real binary, on a database the simulated market filled.
    @Suite("ticktop db end to end")
    struct DatabaseEndToEndTests {
        /// A sandbox whose database holds the simulated market's history of AAPL and BTC-USD.
        static func filled() async throws -> TicktopProcess {
            let sandbox = try TicktopProcess()
            let once = try await sandbox.run([
                "--once", "--symbols", "AAPL,BTC-USD", "--deadline", "60", "--db", sandbox.databasePath
            ])
            // Any verdict about the market will do (2 to 4 depend on the hour); only failures are not.
            #expect([0, 2, 3, 4].contains(once.status), "stderr: \(once.stderr)")
            return sandbox
        }

        @Test func backupCheckRestoreRoundTrip() async throws {
            let sandbox = try await Self.filled()
            let db = sandbox.databasePath
            let backup = sandbox.home.url.appendingPathComponent("backup.sqlite").path

            let made = try await sandbox.run(["db", "backup", backup, "--db", db])
            #expect(made.status == 0, "stderr: \(made.stderr)")
            #expect(made.stdout.hasPrefix("backed up \(db) to \(backup): "))

            let again = try await sandbox.run(["db", "backup", backup, "--db", db])
            #expect(again.status == 1)
            #expect(again.stderr.contains("the file exists; choose a new name"))

            let check = try await sandbox.run(["db", "check", "--db", backup])
            #expect(check.status == 0, "stdout: \(check.stdout) stderr: \(check.stderr)")
            #expect(check.stdout.contains("integrity: ok"))
            #expect(check.stdout.contains("BTC-USD  1Min"))

            let pruned = try await sandbox.run(["db", "prune", "--older-than", "1d", "--yes", "--db", db])
            #expect(pruned.status == 0, "stderr: \(pruned.stderr)")
            let restored = try await sandbox.run(["db", "restore", backup, "--db", db])
            #expect(restored.status == 0, "stderr: \(restored.stderr)")
            #expect(restored.stdout.contains("the database it replaced is kept at \(db).before-restore-"))

            let before = try await sandbox.run(["db", "export", "bars", "--timeframe", "1Day", "--db", backup])
            let after = try await sandbox.run(["db", "export", "bars", "--timeframe", "1Day", "--db", db])
            #expect(after.status == 0)
            #expect(after.stdout.split(separator: "\n").count > 300)
            #expect(after.stdout == before.stdout)
        }

        @Test func aForeignFileIsRefusedAndLeftAlone() async throws {
            let sandbox = try TicktopProcess()
            let path = sandbox.home.url.appendingPathComponent("notes.txt").path
            try Data("my notes, not a database".utf8).write(to: URL(fileURLWithPath: path))
            for arguments in [
                ["db", "check", "--db", path], ["db", "backup", path + ".bak", "--db", path], ["db", "export", "--db", path]
            ] {
                let output = try await sandbox.run(arguments)
                #expect(output.status == 1, "\(arguments)")
                #expect(output.stderr.contains("not an SQLite database"), "\(arguments): \(output.stderr)")
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("my notes, not a database".utf8))
            #expect(!FileManager.default.fileExists(atPath: path + ".bak"))
        }

        /// Read-only commands leave no `-wal`/`-shm` file beside the database that was not there.
        @Test func readOnlyCommandsLeaveNoFilesBehind() async throws {
            let sandbox = try await Self.filled()
            let db = sandbox.databasePath
            let folder = URL(fileURLWithPath: db).deletingLastPathComponent().path
            let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            #expect(before == ["ticktop.sqlite"])
            for arguments in [
                ["history", "AAPL", "--db", db], ["history", "AAPL", "--revisions", "--db", db], ["db", "check", "--db", db],
                ["db", "export", "bars", "--db", db], ["db", "prune", "--older-than", "1d", "--db", db]
            ] {
                let output = try await sandbox.run(arguments)
                #expect([0, 5].contains(output.status), "\(arguments): \(output.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before, "\(arguments)")
            }
        }

        @Test func historyRevisionsSaysWhenNothingWasRevised() async throws {
            let sandbox = try await Self.filled()
            let output = try await sandbox.run(["history", "AAPL", "--revisions", "--db", sandbox.databasePath])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            #expect(output.stdout.contains("every stored bar is as first received"))
        }
    }
}
