import ArgumentParser
import Collector
import Foundation
import Logging
import MonitorUI

/// `ticktop` / `ticktop monitor`: the live board, or one report with `--once`.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "The live board (the default), or one report with --once.")

    @Flag(help: "Collect until every symbol has a value or the deadline passes, print a report and exit.")
    var once = false

    @Flag(help: "With --once: print one JSON document (quotes, source health, anomalies, history).")
    var json = false

    @Option(help: "Symbols to watch, comma separated, e.g. AAPL,MSFT,BTC-USD (overrides the watchlist; each once).")
    var symbols: String?

    @Option(help: "The watchlist from the configuration file to show.")
    var watchlist: String?

    @OptionGroup var files: FileOptions

    @Option(
        help: ArgumentHelp(
            "Follow a shared store instead of collecting: postgres.",
            discussion:
                "Reads quotes, bars, health, alerts and anomalies that collectors store in the PostgreSQL store of the configuration ([store] kind = \"postgres\", the URL in the variable named by url_env) and follows them live.",
            valueName: "kind"))
    var store: ViewerMode.StoreKind?

    @Option(help: "Colour theme for the live board: a name (default, light, high-contrast, mono) or a .toml path.")
    var theme: String?

    // Unconditional, so `--deadline -1` is read as a value and refused with the bounds, not as a missing value.
    @Option(
        parsing: .unconditional,
        help:
            "With --once: seconds to wait at most for every symbol, more than 0 and at most 3600 (default: collect.once_deadline, 10)."
    )
    var deadline: Double?

    @Option(
        name: .customLong("sim-fault"),
        help: ArgumentHelp(
            "Inject a fault into the simulated market (repeatable).",
            discussion:
                "spike:SYM[:FACTOR], crossed:SYM, stall:SYM[:DURATION], gap:SYM[:MINUTES], badbar:SYM, outage:DURATION, offset:SYM[:PERCENT]",
            valueName: "fault"))
    var simFaults: [String] = []

    func validate() throws {
        if json && !once { throw ValidationError("--json needs --once") }
        if store != nil {
            if deadline != nil { throw ValidationError("--deadline is for collecting; --once --store reads the store at once") }
            if !simFaults.isEmpty { throw ValidationError("--sim-fault is for collecting; --store follows collectors") }
            if files.db != nil { throw ValidationError("--db names an SQLite file; --store postgres reads the configured store") }
        }
        if deadline != nil && !once { throw ValidationError("--deadline needs --once") }
        if theme != nil && once { throw ValidationError("--theme is for the live board, not --once") }
        if let deadline, !(deadline > 0 && deadline <= 3_600) {
            let shown = deadline.rounded() == deadline && abs(deadline) < 1e15 ? String(Int64(deadline)) : String(deadline)
            throw ValidationError(
                "--deadline is how many seconds --once waits for every symbol: more than 0 and at most 3600, got \(shown)")
        }
        if let symbols {
            do { _ = try SymbolList.parse(symbols) } catch { throw ValidationError("--symbols: \(error)") }
        }
        try files.checkDatabase(writable: true)
        for fault in simFaults {
            do { _ = try SimulatedFault(parsing: fault) } catch { throw ValidationError("--sim-fault: \(error)") }
        }
    }

    func run() async throws {
        let startedAt = ContinuousClock.now
        let environment = ProcessInfo.processInfo.environment
        if !once { try BoardMode.checkTerminal(environment: environment) }
        // The board's threads share two malloc arenas (less memory kept resident), unless the
        // environment chose a number.
        if !once && environment["MALLOC_ARENA_MAX"] == nil { FreedMemory.limitArenas() }
        EnvironmentSettings.warnAboutColours(environment)
        // The theme is checked before LaunchSetup opens (and migrates) the database.
        let themes = once ? nil : try BoardMode.loadTheme(theme, environment: environment)
        if store != nil {
            try await ViewerMode(command: self, environment: environment).run(themes: themes, startedAt: startedAt)
            return
        }
        let setup = try LaunchSetup(command: self, environment: environment, onCoreThread: !once)
        try await Self.reach(setup.runtime.store)
        guard let themes else {
            let code = try await OnceMode(setup: setup, json: json).run()
            throw ExitCode(code)
        }
        try await BoardMode(
            setup: setup, theme: themes.0, themeDirectories: themes.1, environment: environment, startedAt: startedAt
        ).run()
    }

    /// A PostgreSQL store is connected to and migrated before anything runs, so that a wrong password,
    /// a missing database or a newer schema ends the run at once, as an unusable SQLite file does
    /// (exit 1). A server that does not answer is not fatal: the writer keeps the rows and retries.
    static func reach(_ store: any MarketStore) async throws {
        guard let postgres = store as? PostgresStore else { return }
        do {
            try await postgres.prepare()
        } catch where error.kind != .unreachable {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        } catch {
            LaunchSetup.fail("warning: \(error); the rows wait until it answers")
        }
    }
}
