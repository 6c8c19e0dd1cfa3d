import ArgumentParser
import Collector
import Foundation
import MonitorUI

/// `ticktop backfill SYMBOL... --from --to --timeframe`: fills the store from
/// one source, paging through long ranges, with a progress bar on a terminal
/// and plain lines otherwise.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Fetch, validate and store bars for symbols over a date range.",
        discussion: """
            Each bar is validated; failing bars are stored as anomalies, not as bars. Bars already stored are
            not stored twice, so a re-run is cheap. A window the source could not deliver is listed as still
            missing and the exit status is 1.
            """)

    @Argument(help: "Symbols, e.g. AAPL MSFT BTC-USD.")
    var symbols: [String]

    @Option(help: "First day (2024-01-02) or instant (2024-01-02T14:30:00Z), UTC.")
    var from: String

    @Option(help: "Last day or instant, UTC (default: now). A day means through its end.")
    var to: String?

    @Option(help: "Bar timeframe: 1Min, 5Min, 15Min, 30Min, 1Hour, 4Hour, 1Day, 1Week, 1Month.")
    var timeframe: String = "1Day"

    @Option(help: "Source id from the configuration (default: the preferred source that has history).")
    var source: String?

    @Option(help: "Configuration file. Default: $XDG_CONFIG_HOME/ticktop/config.toml, if it exists.")
    var config: String?

    @Option(help: "SQLite database file. Default: $XDG_DATA_HOME/ticktop/ticktop.sqlite.")
    var db: String?

    func validate() throws {
        for text in symbols {
            do { _ = try Symbol(text) } catch { throw ValidationError("symbol \(text): \(error)") }
        }
        guard Timeframe(parsing: timeframe) != nil else {
            throw ValidationError("--timeframe: unknown timeframe '\(timeframe)'; use one of \(Timeframe.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        _ = try parsedRange(now: SystemTimeSource().now())
    }

    func parsedRange(now: Timestamp) throws -> ClosedRange<Timestamp> {
        guard let start = Timestamp(rfc3339: from) else {
            throw ValidationError("--from: expected a date like 2024-01-02 or an instant like 2024-01-02T14:30:00Z, got '\(from)'")
        }
        var end = now
        if let to {
            guard let parsed = Timestamp(rfc3339: to) else {
                throw ValidationError("--to: expected a date like 2024-03-01 or an instant like 2024-03-01T21:00:00Z, got '\(to)'")
            }
            end = to.count == 10 ? parsed + .seconds(86_400) - .nanoseconds(1) : parsed
        }
        end = min(end, now)
        guard start <= end else {
            throw ValidationError(start > now ? "--from lies in the future" : "--from must not be after --to")
        }
        return start...end
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try LaunchSetup.loadConfiguration(path: config, environment: environment).configuration
        let logger = LaunchSetup.makeLogger(configuration: configuration, environment: environment)
        let clock = ContinuousClock()
        let timeSource = SystemTimeSource()
        let factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: timeSource), clock: clock, timeSource: timeSource,
            logger: logger, environment: environment)
        let symbols = try symbols.map { try Symbol($0) }
        let timeframe = Timeframe(parsing: timeframe)!  // checked in validate()
        let range = try parsedRange(now: timeSource.now())
        let chosen = try Self.chooseSource(configuration, named: source, symbols: symbols, factory: factory)
        let (store, location): (any MarketStore, String)
        do {
            (store, location) = try CollectorRuntime.openStore(configuration.store, databasePath: db, environment: environment)
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        print("backfill \(timeframe.rawValue) bars \(range.lowerBound.rfc3339Seconds) to \(range.upperBound.rfc3339Seconds) from \(chosen.id.label) into \(location)")
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1, timeframe: timeframe)
        let backfill = RangeBackfill(
            source: chosen, store: store, timeSource: timeSource, validator: CollectorRuntime.validator(for: configuration))
        var missing = 0
        for symbol in symbols {
            let result = await backfill.run(symbol: symbol, timeframe: timeframe, range: range) { display.show($0) }
            display.finish(result)
            missing += result.missing.count
        }
        if missing > 0 {
            LaunchSetup.fail("\(missing) windows are still missing; run the same command again to retry them")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }

    /// The named source, or the preferred runnable source that has history; a clear error otherwise.
    static func chooseSource(
        _ configuration: TicktopConfiguration, named: String?, symbols: [Symbol], factory: ProviderFactory
    ) throws -> any MarketDataSource {
        let candidates = configuration.sources
            .filter { named == nil || $0.id.rawValue == named }
            .sorted { $0.priority < $1.priority }
        if let named, candidates.isEmpty {
            let known = configuration.sources.map(\.id.rawValue).joined(separator: ", ")
            LaunchSetup.fail("no source named '\(named)' in the configuration (known: \(known))")
            throw ExitCode(OnceVerdict.exitUsage)
        }
        var reasons: [String] = []
        for candidate in candidates {
            let setup = CollectorRuntime.makeSource(candidate, symbols: symbols, faults: [], factory: factory)
            if let source = setup.source, source.capabilities.contains(.historyBars) { return source }
            let why = setup.source == nil ? "\(setup.state.rawValue): \(setup.detail ?? "")" : "offers no history"
            reasons.append("\(candidate.id.label) \(why)")
        }
        LaunchSetup.fail("no source can backfill: \(reasons.joined(separator: "; "))")
        throw ExitCode(OnceVerdict.exitRuntimeFailure)
    }
}
