import Foundation
import ProviderTestSupport
import Testing

extension EndToEnd {
    /// Quitting the board while a history request is on the wire: the terminal is restored at
    /// once, then one line on stderr says why the process has not ended yet (it waits, for at
    /// most 5 s, for the answer of a request already paid for). `q` and SIGTERM end it the same way.
    @Suite("the board's drain notice end to end")
    struct DrainNoticeEndToEndTests {
        typealias Terminal = TerminalEndToEndTests

        enum Quit: String, CaseIterable, Sendable {
            case key = "q"
            case sigterm = "SIGTERM"
        }

        @Test(arguments: Quit.allCases)
        func quittingDuringAHistoryRequestSaysWhatItFinishes(_ quit: Quit) async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            // Quotes answer at once; the backfill's history request is never answered.
            let server = try await LoopbackHTTPServer.start { request in
                switch request.path {
                case "/v2/stocks/snapshots":
                    return ProviderEndToEndTests.snapshots(
                        for: (request.query("symbols") ?? "").split(separator: ",").map(String.init))
                case let path where path.hasSuffix("/bars"): return .hang
                default: return .json(#"{"message": "not found"}"#, status: 404)
                }
            }
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [sources.alpaca]
                    kind = "alpaca"
                    base_url = "\(server.baseURL)"
                    poll_interval = "1h"
                    stream = false

                    [collect]
                    backfill_daily_days = 5
                    backfill_minute_days = 0
                    """)
            let tmux = try TmuxSession(
                command: Terminal.command("--config \(config) --symbols AAPL --db \(sandbox.databasePath)"),
                environment: Terminal.environment(sandbox).merging(ProviderEndToEndTests.environment) { $1 },
                width: 120, height: 32)
            try await tmux.waitFor("the board with AAPL's quote and the history request sent") { screen in
                screen.components(separatedBy: "\n").contains { $0.hasPrefix("AAPL ") && $0.contains("100.0") }
                    && server.requests.contains { $0.path.hasSuffix("/bars") }
            }

            switch quit {
            case .key: try await tmux.send("q")
            case .sigterm: kill(try Terminal.ticktopPID(sandbox), SIGTERM)
            }
            let notice = "ticktop: finishing 1 history request already sent (at most 5 s)..."
            let screen = try await tmux.waitFor("the exit status") { $0.contains("EXITED") }
            await server.stop()
            #expect(screen.contains(notice), "\(screen)")
            #expect(screen.contains("EXITED 0"), "\(screen)")
            #expect(screen.contains("MODES icanon echo"), "the terminal modes were restored: \(screen)")
            #expect(try await tmux.alternateScreenOn() == false)
            #expect(server.requests.filter { $0.path.hasSuffix("/bars") }.count == 1, "no request after the quit")
        }
    }
}
