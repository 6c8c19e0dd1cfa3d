import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `ticktop sources` and `ticktop backfill` against the simulated market and
    /// configured providers (no network: listing needs none, and checks here only
    /// reach the simulator).
    @Suite("ticktop sources and backfill end to end")
    struct CommandsEndToEndTests {
        static let fakeKey = "FAKE-FINNHUB-KEY-0123456789"

        static let config = """
            [sources.sim]
            kind = "simulated"

            [sources.yahoo]
            kind = "yahoo"

            [sources.alpaca]
            kind = "alpaca"

            [sources.finnhub]
            kind = "finnhub"
            rate_limit = "30/min"
            """

        @Test func sourcesListsKeyStatusAndLimitsButNeverAKey() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config)
            let output = try await sandbox.run(["sources", "--config", path], environment: ["FINNHUB_API_KEY": Self.fakeKey])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let lines = output.stdout.split(separator: "\n").map(String.init)
            let alpaca = try #require(lines.first { $0.hasPrefix("ALPACA") })
            #expect(alpaca.contains("no-key: set APCA_API_KEY_ID and APCA_API_SECRET_KEY in the environment"))
            #expect(alpaca.contains("200/min (published)"))
            let finnhub = try #require(lines.first { $0.hasPrefix("FINNHUB") })
            #expect(finnhub.contains("FINNHUB_API_KEY set"))
            #expect(finnhub.contains("30/min (configured)"))
            // Its WebSocket stream is offered like the simulated market's in-process one.
            #expect(finnhub.contains("quotes,history,stream"))
            // The budget table: per account (kind and key variable, never the key), what is left.
            let budget = try #require(lines.first { $0.hasPrefix("finnhub:FINNHUB_API_KEY") })
            #expect(budget.contains("30/min") && budget.contains("30 of 30 left"))
            let yahoo = try #require(lines.first { $0.hasPrefix("YAHOO") })
            #expect(yahoo.contains("not needed"))
            #expect(yahoo.contains("60/min (unverified)"))
            let sim = try #require(lines.first { $0.hasPrefix("SIM") })
            #expect(sim.contains("ready"))
            #expect(sim.contains("quotes,history,stream"))
            // The stream table, after the sources: one line per stream, its URL, whether it runs.
            let streams = try #require(lines.firstIndex { $0.hasPrefix("STREAM") }).advanced(by: 1)
            let alpacaStreams = lines[streams...].filter { $0.hasPrefix("ALPACA") }
            #expect(alpacaStreams.count == 2)
            #expect(alpacaStreams.allSatisfy { $0.contains("off: no key: set APCA_API_KEY_ID and APCA_API_SECRET_KEY") })
            #expect(alpacaStreams.last?.contains("wss://stream.data.alpaca.markets/v1beta3/crypto/us") == true)
            let finnhubStream = try #require(lines[streams...].first { $0.hasPrefix("FINNHUB") })
            #expect(finnhubStream.contains(" yes "))
            #expect(finnhubStream.contains("wss://ws.finnhub.io/?token=***"))
            let simStream = try #require(lines[streams...].first { $0.hasPrefix("SIM") })
            #expect(simStream.contains(" all ") && simStream.contains(" yes ") && simStream.contains("in process"))
            #expect(!output.stdout.contains(Self.fakeKey) && !output.stderr.contains(Self.fakeKey))
        }

        @Test func checkProbesTheRunnableSourcesAndSkipsTheRest() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: Self.config)
            let output = try await sandbox.run(["sources", "--config", path, "--check", "--symbol", "MSFT"])
            let lines = output.stdout.split(separator: "\n").map(String.init)
            let sim = try #require(lines.last { $0.hasPrefix("SIM") })
            #expect(sim.contains(" ok "))
            #expect(sim.contains("MSFT"))
            #expect(sim.contains(" ms"))
            let alpaca = try #require(lines.last { $0.hasPrefix("ALPACA") })
            #expect(alpaca.contains("skipped"))
            #expect(alpaca.contains("no-key"))
        }

        @Test func iexCloudIsExplainedNotContacted() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(config: "[sources.iex]\nkind = \"iexcloud\"\n")
            let output = try await sandbox.run(["sources", "--config", path])
            #expect(output.status == 78)
            #expect(output.stderr.contains("IEX Cloud shut down on 31 August 2024"))
            #expect(output.stderr.contains("feed = \\\"iex\\\"") || output.stderr.contains("feed = \"iex\""))
            #expect(output.stderr.contains("config.toml:2: sources.iex.kind"))
        }

        @Test func backfillStoresOnceAndReportsWhatItDid() async throws {
            let sandbox = try TicktopProcess()
            let arguments = [
                "backfill", "AAPL", "MSFT", "--from", "2025-01-01", "--to", "2025-06-30", "--db", sandbox.databasePath
            ]
            let first = try await sandbox.run(arguments)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            #expect(first.stdout.contains("from SIM"))
            let aapl = try #require(first.stdout.split(separator: "\n").first { $0.hasPrefix("AAPL:") })
            // The simulated market trades every day: 181 daily bars in the first half of 2025.
            #expect(aapl == "AAPL: fetched 181, stored 181, quarantined 0, still missing 0 of 1 windows")
            #expect(first.stderr.contains("AAPL 1Day window 1/1"), "plain progress lines when stderr is not a terminal")

            let second = try await sandbox.run(arguments)
            #expect(second.status == 0)
            #expect(
                second.stdout.contains("AAPL: fetched 0, stored 0 (1 of 1 windows already complete, not fetched)"),
                "every trading day is stored: the re-run asks for nothing; stdout: \(second.stdout)")
        }

        @Test(arguments: [
            (["backfill", "AAPL", "--from", "last week"], "--from: expected a date"),
            (["backfill", "AAPL", "--from", "2025-01-01", "--timeframe", "7Min"], "unknown timeframe '7Min'"),
            (["backfill", "AAPL", "--from", "2025-02-01", "--to", "2025-01-01"], "--from must not be after --to"),
            (["backfill", "A@PL", "--from", "2025-01-01"], "symbol A@PL"),
            (["backfill", "AAPL", "--from", "2025-01-01", "--source", "nope"], "no source named 'nope'")
        ])
        func backfillRejectsBadInputClearly(arguments: [String], message: String) async throws {
            let sandbox = try TicktopProcess()
            let output = try await sandbox.run(arguments + ["--db", sandbox.databasePath])
            #expect(output.status == 64, "stdout: \(output.stdout) stderr: \(output.stderr)")
            #expect(output.stderr.contains(message), "stderr: \(output.stderr)")
        }

        /// Another program's SQLite file (page size 512, one table `notes` with one row), made by Python's sqlite3.
        static let foreignDatabase = Data(
            base64Encoded: """
                U1FMaXRlIGZvcm1hdCAzAAIAAQEAQCAgAAAAAgAAAAIAAAAAAAAAAAAAAAEAAAAEAAAAAAAAAAAA
                AAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACAC5jAQ0AAAABAbIAAbIAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABMAQYXFxcBeXRhYmxlbm90ZXNub3Rl
                cwJDUkVBVEUgVEFCTEUgbm90ZXMgKGlkIElOVEVHRVIgUFJJTUFSWSBLRVksIHRleHQgVEVYVCkN
                AAAAAQH0AAH0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
                AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAoBAwAba2VlcCBtZQ==
                """, options: .ignoreUnknownCharacters)!

        @Test func anotherProgramsDatabaseIsRefusedUntouched() async throws {
            let sandbox = try TicktopProcess()
            let path = sandbox.home.url.appendingPathComponent("notes.sqlite").path
            try Self.foreignDatabase.write(to: URL(fileURLWithPath: path))
            for arguments in [["--once", "--symbols", "AAPL"], ["history", "AAPL"]] {
                let output = try await sandbox.run(arguments + ["--db", path])
                #expect(output.status == 1, "stdout: \(output.stdout) stderr: \(output.stderr)")
                #expect(
                    output.stderr.contains(
                        "cannot open the database at \(path): it is not a ticktop database (no application id; tables: notes) and was left untouched"
                    ), "stderr: \(output.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Self.foreignDatabase)
                #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            }
        }

        @Test func historyShowsWhichSourceSaidWhat() async throws {
            let sandbox = try TicktopProcess()
            let path = try sandbox.write(
                config: """
                    [sources.sim]
                    kind = "simulated"

                    [sources.backup]
                    kind = "simulated"
                    priority = 110
                    """)
            for source in ["sim", "backup"] {
                let fill = try await sandbox.run([
                    "backfill", "AAPL", "--from", "2025-03-03", "--to", "2025-03-07", "--source", source, "--config", path,
                    "--db", sandbox.databasePath
                ])
                #expect(fill.status == 0, "stderr: \(fill.stderr)")
            }
            let output = try await sandbox.run(["history", "AAPL", "--sources", "--config", path, "--db", sandbox.databasePath])
            #expect(output.status == 0, "stderr: \(output.stderr)")
            let lines = output.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("START       BACKUP CLOSE  SIM CLOSE") == true, "\(lines)")
            #expect(lines.filter { $0.hasPrefix("2025-03-0") }.count == 5)
            #expect(lines.last == "5 bar starts from 2 sources", "same seed: the two agree")
        }
    }
}

extension EndToEnd.CommandsEndToEndTests {
    /// `ticktop --help` lists every exit status the README's table documents (a code added to
    /// one and not the other leaves a script author guessing).
    @Test func helpListsEveryDocumentedExitStatus() async throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md"),
            encoding: .utf8)
        let table = try #require(readme.range(of: "### Exit status"), "the README has an exit status section")
        let codes = readme[table.upperBound...].split(separator: "\n").prefix(20)
            .compactMap { line -> Int? in
                guard line.hasPrefix("| ") else { return nil }
                return Int(line.dropFirst(2).prefix { $0 != " " })
            }
        #expect(codes.count >= 8, "codes in the README's table: \(codes)")
        let output = try await TicktopProcess().run(["--help"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let listed = Set(output.stdout.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces).prefix { $0 != " " }) })
        for code in codes { #expect(listed.contains(code), "`ticktop --help` does not list exit status \(code)") }
    }
}
