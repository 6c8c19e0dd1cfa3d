import CollectorTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The board in a real terminal (tmux) when the terminal goes away or a stray signal
    /// arrives, on terminals it cannot draw on, and without a UTF-8 locale.
    @Suite("board terminal and signals end to end")
    struct TerminalEndToEndTests {
        /// The run's exit status, then the terminal's `icanon` and `echo` modes (`-icanon` when
        /// left raw), printed by the pane's shell after ticktop ends.
        static func command(_ arguments: String) -> String {
            "\(TicktopProcess.binary.path) \(arguments); s=$?; "
                + "echo MODES $(stty -a | tr -s ' ;' '\\n\\n' | grep -E -x -- '-?(icanon|echo)' | tr '\\n' ' '); (exit $s)"
        }

        static func environment(_ sandbox: TicktopProcess, term: String = "xterm-256color", lang: String = "C.UTF-8") -> [String:
            String]
        {
            let root = sandbox.home.url.path
            return [
                "HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_DATA_HOME": root + "/data",
                "XDG_STATE_HOME": root + "/state", "TERM": term, "LANG": lang
            ]
        }

        /// The writer would only write after an hour: what is stored at the end was flushed by the shutdown.
        static let lazyWriter = """
            [store]
            flush_interval = "1h"
            batch_size = 100000

            [collect]
            backfill_daily_days = 30
            backfill_minute_days = 1
            """

        /// The pid of the ticktop started in the sandbox (its command line names the sandbox's database).
        static func ticktopPID(_ sandbox: TicktopProcess) throws -> Int32 {
            let database = sandbox.databasePath
            for entry in try FileManager.default.contentsOfDirectory(atPath: "/proc") {
                guard let pid = Int32(entry),
                    let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                else { continue }
                let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if arguments.first == TicktopProcess.binary.path && arguments.contains(database) { return pid }
            }
            throw TmuxSession.Failure(description: "no ticktop process for \(database)")
        }

        /// Waits until the log says the start-up backfill is done (a bounded wait for another process).
        static func waitForBackfill(_ sandbox: TicktopProcess) async throws {
            let log = sandbox.home.url.appendingPathComponent("state/ticktop/ticktop.log").path
            let start = ContinuousClock.now
            while !(FileManager.default.contents(atPath: log).map { String(decoding: $0, as: UTF8.self) } ?? "").contains(
                "backfill finished")
            {
                try #require(ContinuousClock.now - start < .seconds(60), "backfill did not finish")
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        /// SIGHUP (closed terminal, dropped ssh), SIGUSR1 and SIGUSR2 end the board like `q`:
        /// pending writes are flushed, the alternate screen left, the cursor shown and the
        /// terminal modes restored.
        @Test(arguments: [SIGHUP, SIGUSR1, SIGUSR2])
        func signalEndsTheBoardCleanly(_ signal: Int32) async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(config: Self.lazyWriter)
            let tmux = try TmuxSession(
                command: Self.command("--config \(config) --symbols AAPL,MSFT --db \(sandbox.databasePath)"),
                environment: Self.environment(sandbox), width: 120, height: 32)
            try await tmux.waitFor("the board") { $0.contains("SYMBOL ") && $0.contains("MSFT ") }
            #expect(try await tmux.cursorVisible() == false)
            try await Self.waitForBackfill(sandbox)

            kill(try Self.ticktopPID(sandbox), signal)
            let screen = try await tmux.waitFor("the exit status") { $0.contains("EXITED") }
            #expect(screen.contains("EXITED 0"), "\(screen)")
            #expect(screen.contains("MODES icanon echo"), "the terminal modes were restored: \(screen)")
            #expect(!screen.contains("SYMBOL "), "the board is gone")
            #expect(try await tmux.alternateScreenOn() == false)
            #expect(try await tmux.cursorVisible())

            let history = try await sandbox.run(["history", "MSFT", "--limit", "3", "--db", sandbox.databasePath])
            #expect(history.status == 0, "stderr: \(history.stderr)")
            #expect(
                history.stdout.split(separator: "\n").filter { $0.hasPrefix("20") }.count == 3,
                "flushed on the signal: \(history.stdout)")
        }

        /// Ctrl-\ (SIGQUIT) quits cleanly instead of drawing a crash report over the board. The
        /// run has no UTF-8 locale, so the board draws ASCII frames and sparklines, not blanks.
        @Test func controlBackslashQuitsAnAsciiBoardCleanly() async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            let sandbox = try TicktopProcess()
            let config = try sandbox.write(config: Self.lazyWriter)
            let tmux = try TmuxSession(
                command: Self.command("--config \(config) --symbols AAPL,MSFT --db \(sandbox.databasePath)"),
                environment: Self.environment(sandbox, lang: "C"), width: 120, height: 32)
            let board = try await tmux.waitFor("the board with sparklines") { screen in
                screen.contains("-- SOURCES")
                    && screen.components(separatedBy: "\n").contains { $0.hasPrefix("MSFT ") && $0.contains(" SIM ") }
            }
            #expect(!board.contains("─"), "no box line drawn in a locale that cannot show it")
            let msft = try #require(board.components(separatedBy: "\n").first { $0.hasPrefix("MSFT ") })
            #expect(msft.contains { "_.-~=+*#".contains($0) }, "the sparkline is drawn in ASCII: \(msft)")
            try await Self.waitForBackfill(sandbox)

            try await tmux.send("C-\\")
            let screen = try await tmux.waitFor("the exit status") { $0.contains("EXITED") }
            #expect(screen.contains("EXITED 0"), "\(screen)")
            #expect(!screen.contains("Crash") && !screen.contains("Thread 0"), "no crash report: \(screen)")
            #expect(screen.contains("MODES icanon echo"), "\(screen)")
            #expect(try await tmux.alternateScreenOn() == false)
            #expect(try await tmux.cursorVisible())
        }

        /// Theme files are read by the board only, so their bad input is tried in a terminal:
        /// exit 78 naming the file (and line and key when there is one).
        @Test(arguments: [
            ("nosuch", "", "theme error: nosuch: no theme with this name"),
            ("@/bad.toml", "[roles.up]\nfg = \"chartreuse-ish\"\n", "bad.toml:2"),
            ("@/bad.toml", "[roles.up\n", "bad.toml:1"),
            ("@/missing.toml", "", "missing.toml: theme file not found")
        ])
        func badThemeIsNamed(theme: String, contents: String, message: String) async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            let sandbox = try TicktopProcess()
            if !contents.isEmpty { _ = try sandbox.write(config: contents, name: "bad.toml") }
            let path = theme.replacingOccurrences(of: "@", with: sandbox.home.url.path)
            let tmux = try TmuxSession(
                command: Self.command("--symbols AAPL --theme \(path) --db \(sandbox.databasePath)"),
                environment: Self.environment(sandbox), width: 250, height: 20)
            let screen = try await tmux.waitFor("the exit status") { $0.contains("EXITED") }
            #expect(screen.contains("EXITED 78"), "\(screen)")
            #expect(screen.replacingOccurrences(of: "\n", with: "").contains(message), "\(screen)")
            #expect(screen.contains("MODES icanon echo"), "\(screen)")
        }

        /// A terminal that cannot draw the board is refused, with the reason and `--once`, before
        /// the database is touched (no file, no -wal or -shm left behind).
        @Test(arguments: [
            ("dumb", "TERM=dumb cannot move the cursor"),
            ("no-such-terminal", "TERM=no-such-terminal is not a terminal type terminfo knows"),
            ("", "TERM is not set")
        ])
        func unusableTerminalIsRefusedBeforeTheDatabase(term: String, message: String) async throws {
            try #require(TmuxSession.isAvailable, "tmux is needed: apt-get install tmux (.ci/run does)")
            let sandbox = try TicktopProcess()
            let tmux = try TmuxSession(
                command: Self.command("--symbols AAPL --db \(sandbox.databasePath)"),
                environment: Self.environment(sandbox, term: term), width: 250, height: 20)
            let screen = try await tmux.waitFor("the exit status") { $0.contains("EXITED") }
            let text = screen.replacingOccurrences(of: "\n", with: "")
            #expect(screen.contains("EXITED 1"), "\(screen)")
            #expect(text.contains(message), "\(screen)")
            #expect(text.contains("use --once for a text or JSON report"), "\(screen)")
            let directory = sandbox.home.url.appendingPathComponent("db").path
            #expect((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] == [], "the database was not touched")
        }
    }
}
