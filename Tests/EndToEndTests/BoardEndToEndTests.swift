import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The live board in a real terminal (tmux, which `.ci/run` installs): start,
    /// wait for quotes, add a symbol, switch watchlist, open and close the detail
    /// view, resize, quit, and check the terminal was restored.
    @Suite("live board end to end")
    struct BoardEndToEndTests {
        @Test func aSessionAsAPersonWouldUseIt() async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(
                config: """
                    [watchlists]
                    default = ["AAPL", "MSFT", "BTC-USD"]
                    crypto = ["ETH-USD"]

                    [collect]
                    backfill_daily_days = 30
                    backfill_minute_days = 1
                    """)
            let root = sandbox.home.url.path
            let tmux = try TmuxSession(
                command: "\(TicktopProcess.binary.path) --config \(config) --db \(sandbox.databasePath)",
                environment: [
                    "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_DATA_HOME": root + "/data",
                    "XDG_STATE_HOME": root + "/state", "TERM": "xterm-256color", "LANG": "C.UTF-8"
                ],
                width: 120, height: 32)

            // Quotes arrive, labelled with their source and age.
            var screen = try await tmux.waitFor("quotes for every symbol") { screen in
                ["AAPL", "MSFT", "BTC-USD"].allSatisfy { symbol in
                    screen.components(separatedBy: "\n").contains {
                        $0.hasPrefix(symbol + " ") && $0.contains(" SIM ") && !$0.contains("NO DATA")
                    }
                }
            }
            #expect(screen.contains("ticktop  SIM streaming"))
            #expect(screen.contains("default 1/2"))
            #expect(try await tmux.alternateScreenOn())

            // Add a symbol; a bad one is refused inline first.
            try await tmux.send("a")
            try await tmux.send("NV$", literal: true)
            try await tmux.send("Enter")
            try await tmux.waitFor("the inline error") {
                $0.contains("add symbol: NV$") && $0.contains("it contains the character '$'")
            }
            try await tmux.send("BSpace")
            try await tmux.send("DA", literal: true)
            try await tmux.send("Enter")
            screen = try await tmux.waitFor("NVDA with a price") { screen in
                screen.contains("added NVDA to default")
                    && screen.components(separatedBy: "\n").contains { $0.hasPrefix("NVDA ") && $0.contains(" SIM ") }
            }

            // Switch watchlist and back.
            try await tmux.send("Tab")
            screen = try await tmux.waitFor("the crypto watchlist") { $0.contains("crypto 2/2") && $0.contains("ETH-USD ") }
            #expect(!screen.components(separatedBy: "\n").contains { $0.hasPrefix("AAPL ") })
            try await tmux.send("Tab")
            try await tmux.waitFor("the default watchlist again") { $0.contains("default 1/2") && $0.contains("NVDA ") }

            // Detail view of the selected symbol, then back.
            try await tmux.send("Enter")
            screen = try await tmux.waitFor("the detail view with bars") {
                $0.contains("AAPL ") && $0.contains("1Min candles") && $0.contains("── BARS") && $0.contains("TIME ")
            }
            try await tmux.send("Escape")
            try await tmux.waitFor("the board again") { $0.contains("SYMBOL ") && $0.contains("── SOURCES") }

            // Resize: tiny shows a message, larger recovers.
            try await tmux.resize(width: 26, height: 6)
            try await tmux.waitFor("the too-small message") { $0.contains("terminal too small") }
            try await tmux.resize(width: 100, height: 30)
            try await tmux.waitFor("the board after growing") { $0.contains("SYMBOL ") && !$0.contains("terminal too small") }

            // Quit: the program ends cleanly and the terminal is restored.
            try await tmux.send("q")
            screen = try await tmux.waitFor("the exit status") { $0.contains("EXITED") }
            #expect(screen.contains("EXITED 0"))
            #expect(!screen.contains("finishing"), "the simulated market sends no request: nothing to wait for, nothing said")
            #expect(!screen.contains("SYMBOL "), "the board is gone: the screen was restored")
            #expect(try await tmux.alternateScreenOn() == false)

            // The watchlist edit was saved.
            let saved = try String(contentsOfFile: root + "/state/ticktop/watchlists.toml", encoding: .utf8)
            #expect(saved.contains(#"symbols = ["AAPL", "MSFT", "BTC-USD", "NVDA"]"#))
        }
    }
}
