import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `[store] ticks = true` through the real binary: `--once` on the simulated market records
    /// the tape, `history --ticks` and `db export ticks` read it back.
    @Suite("The tape end to end")
    struct TapeEndToEndTests {
        @Test func theSimulatedMarketIsRecordedAndReadBack() async throws {
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [store]
                    ticks = true

                    [collect]
                    backfill_daily_days = 0
                    backfill_minute_days = 0
                    """)
            let db = sandbox.databasePath
            let once = try await sandbox.run(["--once", "--json", "--config", config, "--symbols", "AAPL", "--db", db])
            // Any verdict about the market will do (2 to 5 depend on the hour); only failures are not.
            #expect([0, 2, 3, 4, 5].contains(once.status), "stderr: \(once.stderr)")
            let writes = try #require(try once.json()["storeWrites"] as? [String: Any])
            let tape = try #require(writes["tape"] as? [String: Any])
            let written = try #require(tape["ticksWritten"] as? Int)
            #expect(written > 0 && tape["ticksLost"] as? Int == 0)

            let history = try await sandbox.run(["history", "AAPL", "--ticks", "--limit", "3", "--config", config, "--db", db])
            #expect(history.status == 0, "stderr: \(history.stderr)")
            let lines = history.stdout.split(separator: "\n")
            #expect(lines.count == 1 + min(3, written), "a header and the newest ticks, at most 3: \(history.stdout)")
            #expect(lines.first?.hasPrefix("TIME") == true && lines.dropFirst().allSatisfy { $0.contains(" SIM ") })

            let export = try await sandbox.run(["db", "export", "ticks", "--format", "jsonl", "--db", db])
            #expect(export.status == 0, "stderr: \(export.stderr)")
            let rows = export.stdout.split(separator: "\n")
            #expect(rows.count >= written)
            #expect(rows.allSatisfy { $0.hasPrefix(#"{"type":""#) && $0.contains(#""symbol":"AAPL","source":"sim""#) })

            let mixed = try await sandbox.run(["history", "AAPL", "--ticks", "--revisions", "--db", db])
            #expect(mixed.status == 64 && mixed.stderr.contains("choose one"))
        }
    }
}
