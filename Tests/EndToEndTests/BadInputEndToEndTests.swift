import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Bad input of every kind (command line, configuration file, symbols, environment
    /// variables, theme and watchlist files, database paths), each run through the real
    /// binary: the exit status, a message naming the cause, no crash, and (unless the
    /// input can only be found by opening it) no database created.
    @Suite("bad input end to end")
    struct BadInputEndToEndTests {
        /// One bad input. `@/` in arguments, environment values and file contents (and `@`
        /// alone as an argument) is the sandbox's root; `files` are written there (relative path to contents) first.
        struct Case: Sendable, CustomTestStringConvertible {
            var arguments: [String]
            var status: Int32
            var message: String
            var environment: [String: String] = [:]
            var files: [String: String] = [:]
            /// Whether the database may be created (the input is only found by opening it).
            var opensDatabase = false

            var testDescription: String {
                (arguments + environment.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            }
        }

        static let db = ["--db", "@/db/ticktop.sqlite"]
        static let once = ["--once"] + db
        static let config = ["--once", "--config", "@/c.toml"] + db

        /// A configuration file `c.toml` with `text`, read by `--once`.
        static func configCase(_ text: String, _ message: String) -> Case {
            Case(arguments: config, status: 78, message: message, files: ["c.toml": text])
        }

        static let commandLine: [Case] = [
            Case(arguments: once + ["--symbols", "AA PL"], status: 64, message: "is not a valid symbol: it contains a space"),
            Case(
                arguments: once + ["--symbols", "AAPL,aapl"], status: 64, message: "AAPL is listed twice (as 'AAPL' and 'aapl')"),
            Case(
                arguments: once + ["--symbols", "BRK.B,BRK-B"], status: 64,
                message: "BRK.B is listed twice (as 'BRK.B' and 'BRK-B')"),
            Case(arguments: once + ["--symbols", "AAPL,,MSFT"], status: 64, message: "element 2 of 3 is empty"),
            Case(arguments: once + ["--symbols", "AAPL,"], status: 64, message: "element 2 of 2 is empty"),
            Case(arguments: once + ["--symbols", ","], status: 64, message: "element 1 of 2 is empty"),
            Case(arguments: once + ["--symbols", ""], status: 64, message: "it names no symbol"),
            Case(arguments: once + ["--symbols", "A@PL"], status: 64, message: "it contains the character '@'"),
            Case(arguments: once + ["--symbols", "ABCDEFGHIJKLMNOPQRSTU"], status: 64, message: "longer than 20 characters"),
            Case(arguments: once + ["--symbols", "BTC/XYZ"], status: 64, message: "'XYZ' is not a currency"),
            Case(arguments: once + ["--deadline", "-1"], status: 64, message: "more than 0 and at most 3600, got -1"),
            Case(arguments: once + ["--deadline", "0"], status: 64, message: "more than 0 and at most 3600, got 0"),
            Case(arguments: once + ["--deadline", "3601"], status: 64, message: "more than 0 and at most 3600, got 3601"),
            Case(arguments: once + ["--deadline", "nan"], status: 64, message: "more than 0 and at most 3600, got nan"),
            Case(arguments: once + ["--deadline", "soon"], status: 64, message: "'soon' is invalid for '--deadline"),
            Case(arguments: db + ["--deadline", "5"], status: 64, message: "--deadline needs --once"),
            Case(arguments: db + ["--json"], status: 64, message: "--json needs --once"),
            Case(arguments: once + ["--theme", "mono"], status: 64, message: "--theme is for the live board"),
            Case(arguments: once + ["--sim-fault", "explode:AAPL"], status: 64, message: "'explode:AAPL' is not a valid fault"),
            Case(
                arguments: once + ["--sim-fault", "stall:AAPL:99999999999999999h"], status: 64,
                message: "longer than the longest duration accepted, 36500d"),
            Case(
                arguments: once + ["--sim-fault", "outage:soon"], status: 64,
                message: "the duration 'soon' is not a positive whole number"),
            Case(
                arguments: once + ["--sim-fault", "stall:AAPL:0s"], status: 64,
                message: "the duration '0s' must be longer than zero"),
            Case(arguments: once + ["--watchlist", "nope"], status: 64, message: "no watchlist named 'nope'"),
            Case(arguments: once + ["--bogus"], status: 64, message: "Unknown option '--bogus'"),
            Case(arguments: once + ["frobnicate"], status: 64, message: "Unexpected argument 'frobnicate'")
        ]

        static let databasePaths: [Case] = [
            Case(arguments: ["--once", "--db", ""], status: 64, message: "--db is empty; give a file path"),
            Case(arguments: ["--once", "--db", "@"], status: 64, message: "is a directory; give a file path, e.g."),
            Case(
                arguments: ["--once", "--db", "/dev/null"], status: 64,
                message: "--db /dev/null is not a regular file (it is a character device)"),
            Case(
                arguments: ["--once", "--db", "@/plain/ticktop.sqlite"], status: 64, message: "/plain is a file, not a directory",
                files: ["plain": "x"]),
            Case(arguments: ["history", "AAPL", "--db", "/dev/null"], status: 64, message: "is not a regular file"),
            Case(arguments: ["backfill", "AAPL", "--from", "2025-01-01", "--db", "@"], status: 64, message: "is a directory"),
            Case(
                arguments: ["--once", "--symbols", "AAPL", "--deadline", "1"], status: 1,
                message: "/data is a file, not a directory",
                environment: ["XDG_DATA_HOME": "@/data"], files: ["data": "x"])
        ]

        static let configurationFiles: [Case] = [
            Case(arguments: ["--once", "--config", "@/missing.toml"] + db, status: 78, message: "missing.toml"),
            Case(arguments: ["--once", "--config", "@"] + db, status: 78, message: "configuration error"),
            configCase("[general\nwatchlist = 1\n", "c.toml:1"),
            configCase("[colours]\n", "colours"),
            configCase("[general]\nstale_afterr = \"5s\"\n", "stale_after"),
            configCase("[general]\nstale_after = \"soon\"\n", "expected a duration like"),
            configCase("[general]\nstale_after = \"99999999d\"\n", "longer than the longest duration accepted, 36500d"),
            configCase("[general]\nstale_after = 99999999999\n", "longer than the longest duration accepted, 36500d"),
            configCase("[general]\nstale_after = \"0s\"\n", "must be longer than zero"),
            configCase("[watchlists]\ndefault = [\"AAPL\", \"aapl\"]\n", "AAPL is listed twice"),
            configCase("[watchlists]\ndefault = [\"BRK.B\", \"BRK-B\"]\n", "BRK.B is listed twice"),
            configCase("[watchlists]\ndefault = [\"AA PL\"]\n", "it contains a space"),
            configCase("[watchlists]\ndefault = \"AAPL\"\n", "must be an array of symbols"),
            configCase("[watchlists]\n", "defines no watchlist"),
            configCase("[general]\nwatchlist = \"nope\"\n", "no watchlist named 'nope'"),
            configCase("[sources.x]\nkind = \"bloomberg\"\n", "sources.x.kind"),
            configCase("[sources.iex]\nkind = \"iexcloud\"\n", "IEX Cloud shut down"),
            configCase("[sources.sim]\nkind = \"simulated\"\nfaults = [\"explode:AAPL\"]\n", "sources.sim.faults"),
            configCase("[store]\nkind = \"mysql\"\n", "store.kind"),
            configCase("[store]\nkind = \"postgres\"\n", "store.url_env"),
            configCase("[store]\nbatch_size = -5\n", "store.batch_size")
        ]

        static let backfillAndHistory: [Case] = [
            Case(arguments: ["backfill", "AAPL"] + db, status: 64, message: "--from is required"),
            Case(arguments: ["backfill", "AAPL", "--to", "2025-01-01"] + db, status: 64, message: "--from is required"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "last week"] + db, status: 64, message: "--from: expected a date like"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "2025-02-30"] + db, status: 64, message: "--from: expected a date like"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "1500-01-01"] + db, status: 64,
                message: "'1500-01-01' is outside the supported dates, 1678-01-01 to 2261-12-31 (UTC)"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "2300-01-01"] + db, status: 64,
                message: "outside the supported dates, 1678-01-01 to 2261-12-31 (UTC)"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "2024-01-01", "--to", "9999-12-31"] + db, status: 64,
                message: "--to: '9999-12-31' is outside the supported dates"),
            Case(arguments: ["backfill", "AAPL", "--from", "2200-01-01"] + db, status: 64, message: "--from lies in the future"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "2025-02-01", "--to", "2025-01-01"] + db, status: 64,
                message: "--from must not be after --to"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "2025-01-01", "--timeframe", "7Min"] + db, status: 64,
                message: "unknown timeframe '7Min'"),
            Case(arguments: ["backfill", "A@PL", "--from", "2025-01-01"] + db, status: 64, message: "symbol A@PL"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "2025-01-01", "--source", "nope"] + db, status: 64,
                message: "no source named 'nope'"),
            Case(
                arguments: ["backfill", "AAPL", "--from", "1970-01-01", "--timeframe", "1Min"] + db, status: 64,
                message: "up to 29,"),
            Case(
                arguments: ["backfill", "AAPL", "MSFT", "--from", "2024-01-01", "--to", "2024-12-31", "--timeframe", "1Min"] + db,
                status: 64, message: "add --yes to start it"),
            Case(arguments: ["history", "A@PL"] + db, status: 64, message: "symbol A@PL"),
            Case(arguments: ["history", "AAPL", "--limit", "0"] + db, status: 64, message: "--limit must be between 1 and 10000"),
            Case(arguments: ["history", "AAPL", "--timeframe", "2Min"] + db, status: 64, message: "unknown timeframe '2Min'"),
            Case(arguments: ["history", "AAPL", "--from", "0001-01-01"] + db, status: 64, message: "outside the supported dates"),
            Case(arguments: ["history", "AAPL", "--to", "2024-01-01"] + db, status: 64, message: "--to needs --from")
        ]

        /// Warnings: the run goes on (here it stops at a bad watchlist name), but the value is named.
        static let environmentAndFiles: [Case] = [
            Case(
                arguments: ["sources"], status: 0, message: "TICKTOP_LOG_LEVEL='loud' is not a log level",
                environment: ["TICKTOP_LOG_LEVEL": "loud"]),
            Case(
                arguments: once + ["--watchlist", "nope"], status: 64,
                message: "TICKTOP_COLORS='rainbow' is not one of none, 0, 8, 16, 256", environment: ["TICKTOP_COLORS": "rainbow"]),
            Case(
                arguments: once + ["--watchlist", "nope"], status: 64, message: "ignoring the saved watchlists",
                files: ["state/ticktop/watchlists.toml": "[watchlists\n"]),
            Case(
                arguments: once + ["--watchlist", "nope"], status: 64, message: "ignoring the saved watchlists",
                files: ["state/ticktop/watchlists.toml": "active = \"default\"\n[watchlists]\ndefault = [\"AAPL\", \"aapl\"]\n"]),
            Case(
                arguments: ["sources"], status: 0,
                message: "the log file @/state/ticktop/ticktop.log cannot be created: @/state is a file, not a directory",
                environment: ["XDG_STATE_HOME": "@/state"], files: ["state": "x"])
        ]

        static let all = commandLine + databasePaths + configurationFiles + backfillAndHistory + environmentAndFiles

        @Test(arguments: all)
        func isRefusedWithTheCause(_ input: Case) async throws {
            let sandbox = try TicktopProcess()
            let root = sandbox.home.url.path
            func resolve(_ text: String) -> String { text == "@" ? root : text.replacingOccurrences(of: "@/", with: root + "/") }
            for (path, contents) in input.files {
                let url = sandbox.home.url.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(resolve(contents).utf8).write(to: url)
            }
            let output = try await sandbox.run(input.arguments.map(resolve), environment: input.environment.mapValues(resolve))
            #expect(output.status == input.status, "stdout: \(output.stdout)\nstderr: \(output.stderr)")
            #expect(output.stderr.contains(resolve(input.message)), "stderr: \(output.stderr)")
            if !input.opensDatabase {
                for database in ["db/ticktop.sqlite", "data/ticktop/ticktop.sqlite"] {
                    #expect(!FileManager.default.fileExists(atPath: root + "/" + database), "\(database) was created")
                }
            }
        }

        @Test func thereAreAtLeastSixtyBadInputs() {
            #expect(Self.all.count >= 60)
        }
    }
}
