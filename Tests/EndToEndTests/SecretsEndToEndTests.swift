import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

extension EndToEnd {
    /// API keys from the environment never leave the process except to their provider: a
    /// loopback server for every keyed provider answers each request with an error body that
    /// echoes every header and query value it received (the keys among them), and no key
    /// shows in the log, any error, the screen, `--once` text or JSON, or the database bytes.
    @Suite("API keys never leak end to end")
    struct SecretsEndToEndTests {
        static let keys = [
            "APCA_API_KEY_ID": "LEAKCHECKalpacaID7a1",
            "APCA_API_SECRET_KEY": "LEAKCHECKalpacaSECRET7a2",
            "POLYGON_API_KEY": "LEAKCHECKpolygon7a3",
            "FINNHUB_API_KEY": "LEAKCHECKfinnhub7a4",
            "ALPHAVANTAGE_API_KEY": "LEAKCHECKalphavantage7a5"
        ]

        /// Every value the request carried, in the fields each provider's errors use.
        static func echo(_ request: RecordedRequest) -> StubResponse {
            let values = (request.headers.map(\.1) + request.queryItems.compactMap(\.value)).joined(separator: " ")
            let text = "key not accepted: \(values)".replacingOccurrences(of: "\"", with: "'")
            return .json(
                #"{"message": "\#(text)", "error": "\#(text)", "status": "ERROR", "Error Message": "\#(text)"}"#, status: 401)
        }

        static func config(_ url: String) -> String {
            ["alpaca", "polygon", "finnhub", "alphavantage"].map { kind in
                """
                [sources.\(kind)]
                kind = "\(kind)"
                base_url = "\(url)"
                poll_interval = "1s"
                \(kind == "alphavantage" ? "" : "stream = false  # streams would dial the real providers")

                """
            }.joined(separator: "\n") + """
                [collect]
                backfill_daily_days = 5
                backfill_minute_days = 1
                """
        }

        func expectNoKey(in text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            for (name, key) in Self.keys {
                #expect(!text.contains(key), "\(name) appears in \(what)", sourceLocation: sourceLocation)
            }
        }

        @Test func keysNeverAppearInLogsErrorsScreenReportsOrTheDatabase() async throws {
            let server = try await LoopbackHTTPServer.start(Self.echo)
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(config: Self.config(server.baseURL))
            let once = [
                "--once", "--config", config, "--symbols", "AAPL,BTC-USD", "--deadline", "3", "--db", sandbox.databasePath
            ]
            var outputs: [(String, TicktopProcess.Output)] = []
            for (what, arguments) in [
                ("--once", once), ("--once --json", once + ["--json"]),
                ("sources --check", ["sources", "--check", "--config", config]),
                (
                    "backfill",
                    [
                        "backfill", "AAPL", "--from", "2025-01-02", "--to", "2025-01-10", "--config", config, "--db",
                        sandbox.databasePath
                    ]
                )
            ] {
                outputs.append((what, try await sandbox.run(arguments, environment: Self.keys)))
            }

            // The board, in a terminal, until the sources panel shows the refusals.
            var screen = ""
            if TmuxSession.isAvailable {
                let root = sandbox.home.url.path
                let tmux = try TmuxSession(
                    command:
                        "\(TicktopProcess.binary.path) --config \(config) --symbols AAPL,BTC-USD --db \(sandbox.databasePath)",
                    environment: Self.keys.merging([
                        "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_DATA_HOME": root + "/data",
                        "XDG_STATE_HOME": root + "/state", "TERM": "xterm-256color", "LANG": "C.UTF-8"
                    ]) { $1 },
                    width: 200, height: 50)
                screen = try await tmux.waitFor("the sources panel with the refusals") {
                    $0.contains("── SOURCES") && $0.contains("401")
                }
                try await tmux.send("q")
                screen += try await tmux.waitFor("the exit") { $0.contains("EXITED") }
            }
            await server.stop()

            // The keys did go out, and the echoing errors did come back into every output.
            let sent = server.requests.map { ($0.headers.map(\.1) + $0.queryItems.compactMap(\.value)).joined(separator: " ") }
                .joined()
            for (name, key) in Self.keys { #expect(sent.contains(key), "\(name) was sent to its provider") }
            for (what, output) in outputs {
                #expect(output.stdout.contains("401") || output.stderr.contains("401"), "\(what) reports the refusal")
                expectNoKey(in: output.stdout, "\(what) output")
                expectNoKey(in: output.stderr, "\(what) errors")
            }
            expectNoKey(in: screen, "the board")
            let log = try String(
                contentsOfFile: sandbox.home.url.appendingPathComponent("state/ticktop/ticktop.log").path, encoding: .utf8)
            #expect(log.contains("401"))
            expectNoKey(in: log, "the log")
            #expect(FileManager.default.fileExists(atPath: sandbox.databasePath))
            for suffix in ["", "-wal", "-shm"] {
                guard let bytes = FileManager.default.contents(atPath: sandbox.databasePath + suffix) else { continue }
                expectNoKey(in: String(decoding: bytes, as: UTF8.self), "the database\(suffix)")
            }
        }
    }
}
