import ArgumentParser
import Collector
import Foundation
import Logging
import MonitorUI

/// Everything decided before the collector starts: configuration, symbols,
/// faults, logging, and the runtime built from them. Bad input ends here
/// with a message that says what is wrong and where.
struct LaunchSetup {
    let configuration: TicktopConfiguration
    let configurationPath: String?
    /// The watchlists shown (from the saved watchlist file, else the configuration,
    /// or one list made from `--symbols`) and which one is active.
    let watchlists: [Watchlist]
    let activeWatchlist: Int
    /// False for a `--symbols` session, whose list is not saved.
    let persistsWatchlists: Bool
    let watchlistFile: String
    let symbols: [Symbol]
    let runtime: CollectorRuntime
    let logger: Logger
    /// The thread the board's collector tasks and timers run on (`CoreThread`); nil for `--once`
    /// and `collect`, whose tasks stay on the shared pool and sleep on `ContinuousClock`.
    let core: CoreThread?
    let clock: any Clock<Duration>
    let deadline: Duration

    /// Where the run's log lines go.
    enum LogTarget {
        /// The configured log file (the board owns the screen).
        case file
        /// Standard error, one line per event, and also `file` when given (`ticktop collect`).
        case standardError(alsoFile: String?)
    }

    init(
        command: some LaunchOptions, environment: [String: String], log: LogTarget = .file, onCoreThread: Bool = false
    ) throws {
        let loaded = try Self.loadConfiguration(path: command.files.config, environment: environment)
        configuration = loaded.configuration
        configurationPath = loaded.path
        let paths = XDGPaths(environment: environment)
        watchlistFile = WatchlistFile.path(in: paths)
        (watchlists, activeWatchlist, persistsWatchlists) = try Self.watchlists(
            command: command, configuration: configuration, file: watchlistFile)
        symbols = watchlists[activeWatchlist].symbols
        let faults = try Self.faults(command: command, configuration: configuration, file: loaded.path)
        logger = Self.makeLogger(configuration: configuration, environment: environment, target: log)
        let core = onCoreThread ? CoreThread() : nil
        self.core = core
        clock = core.map(CoreThreadClock.init) ?? ContinuousClock()
        deadline = command.deadline.map { .milliseconds(Int64($0 * 1000)) } ?? configuration.collect.onceDeadline
        try command.files.checkDatabase(for: configuration.store, environment: environment)
        do {
            runtime = try CollectorRuntime(
                configuration: configuration, symbols: symbols, databasePath: command.files.db, faults: faults, clock: clock,
                timeSource: SystemTimeSource(), environment: environment,
                fleet: command.joinsFleet && configuration.store.kind == .postgres
                    ? FleetIdentity.thisProcess(version: Ticktop.configuration.version) : nil,
                logger: logger)
        } catch {
            Self.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        logger.info(
            "ticktop started",
            metadata: [
                "symbols": "\(symbols.map(\.rawValue).joined(separator: ","))", "store": "\(runtime.storeLocation)",
                "config": "\(configurationPath ?? "defaults")"
            ])
    }

    /// The configuration file (explicit, or the XDG default when present); exit 78 naming the problem.
    static func loadConfiguration(path: String?, environment: [String: String]) throws -> LoadedConfiguration {
        do {
            return try ConfigLoader.load(explicitPath: path, environment: environment)
        } catch {
            fail("configuration error: \(error)")
            throw ExitCode(OnceVerdict.exitConfig)
        }
    }

    /// `--symbols` makes one unsaved list; otherwise the saved watchlist file (when
    /// present and readable) or the configuration, with `--watchlist` or the saved
    /// or configured active one selected.
    static func watchlists(command: some LaunchOptions, configuration: TicktopConfiguration, file: String) throws
        -> ([Watchlist], Int, Bool)
    {
        if let text = command.symbols {
            return ([Watchlist(name: "symbols", symbols: try SymbolList.parse(text))], 0, false)  // checked in validate()
        }
        var lists = configuration.watchlists
        var active = configuration.general.activeWatchlist
        do {
            if let saved = try WatchlistFile.load(from: file) {
                lists = saved.watchlists
                active = saved.active
            }
        } catch {
            fail(
                "warning: ignoring the saved watchlists: \(error) (the configuration's are used; the next edit rewrites the file)"
            )
        }
        let name = command.watchlist ?? active
        guard let index = lists.firstIndex(where: { $0.name == name }) ?? (command.watchlist == nil ? 0 : nil), !lists.isEmpty
        else {
            let known = lists.map(\.name).joined(separator: ", ")
            fail("no watchlist named '\(name)' (known: \(known.isEmpty ? "none" : known))")
            throw ExitCode(OnceVerdict.exitUsage)
        }
        if lists[index].symbols.isEmpty && command.needsSymbols {
            fail("watchlist '\(lists[index].name)' is empty: add symbols to it or pass --symbols")
            throw ExitCode(OnceVerdict.exitUsage)
        }
        return (lists, index, true)
    }

    /// Faults from the configuration's simulated sources plus `--sim-fault`, by source.
    static func faults(command: some LaunchOptions, configuration: TicktopConfiguration, file: String?) throws
        -> [SourceID: [SimulatedFault]]
    {
        var result: [SourceID: [SimulatedFault]] = [:]
        let simulated = configuration.enabledSources.filter { $0.kind == .simulated }
        for source in simulated {
            for text in source.simulation?.faults ?? [] {
                do {
                    result[source.id, default: []].append(try SimulatedFault(parsing: text))
                } catch {
                    fail("configuration error: \(file ?? "config"): sources.\(source.id.rawValue).faults: \(error)")
                    throw ExitCode(OnceVerdict.exitConfig)
                }
            }
        }
        if !command.simFaults.isEmpty {
            guard !simulated.isEmpty else {
                fail("--sim-fault needs an enabled simulated source, and the configuration has none")
                throw ExitCode(OnceVerdict.exitUsage)
            }
            let parsed = command.simFaults.compactMap { try? SimulatedFault(parsing: $0) }  // checked in validate()
            for source in simulated { result[source.id, default: []] += parsed }
        }
        return result
    }

    /// Logs go to a file (never to the screen the TUI owns), or to stderr for `collect`. If the
    /// file cannot be opened, say so once on stderr and run without it.
    static func makeLogger(
        configuration: TicktopConfiguration, environment: [String: String], target: LogTarget = .file
    ) -> Logger {
        let paths = XDGPaths(environment: environment)
        let level = EnvironmentSettings.logLevel(environment)
        var sinks: [FileLogHandler.Sink] = []
        let file: String?
        switch target {
        case .file: file = paths.logPath(for: configuration.general)
        case .standardError(let alsoFile):
            sinks.append(.standardError)
            file = alsoFile.map(paths.expandingTilde)
        }
        if let path = file {
            do {
                sinks.append(try FileLogHandler.Sink(path: path))
            } catch {
                let cause =
                    PathProblem.find(path, role: "the log file", writable: true)
                    ?? "cannot write the log file \(path) (\(error.localizedDescription))"
                fail("warning: \(cause); continuing without \(sinks.isEmpty ? "a log" : "it")")
            }
        }
        let opened = sinks
        LoggingSystem.bootstrap { label -> any LogHandler in
            switch opened.count {
            case 0: SwiftLogNoOpLogHandler()
            case 1: FileLogHandler(label: label, sink: opened[0], level: level)
            default: MultiplexLogHandler(opened.map { FileLogHandler(label: label, sink: $0, level: level) })
            }
        }
        return Logger(label: "ticktop")
    }

    static func fail(_ message: String) {
        say(message)
    }

    /// One line on stderr, `ticktop: message`.
    static func say(_ message: String) {
        FileHandle.standardError.write(Data("ticktop: \(message)\n".utf8))
    }
}
