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
            not stored twice, so a re-run is cheap; a bar stored before with other values is a revision (the
            earlier version is kept: history --revisions). A window the source could not deliver is listed as
            still missing and the exit status is 1. Rows that cannot be written (a full disk, store.max_size)
            are kept in the spill file beside the database, written by the next run, and the exit status is 1. Afterwards the stored history is checked against the market
            calendar (no gaps over weekends, holidays or after early closes) and remaining gaps are listed;
            --gaps fills just those, from any source that has them.

            Before starting, the run is estimated (at most one bar per interval of the timeframe per symbol,
            at least one request per window); above 1,000,000 bars it starts only with --yes.
            """)

    @Argument(help: "Symbols, e.g. AAPL MSFT BTC-USD.")
    var symbols: [String]

    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Bar timeframe: 1Min, 5Min, 15Min, 30Min, 1Hour, 4Hour, 1Day, 1Week, 1Month.")
    var timeframe: String = "1Day"

    @Option(help: "Source id from the configuration (default: the preferred source that has history).")
    var source: String?

    @Flag(help: "Fill only the gaps the market calendar finds in the stored history, asking each source in priority order.")
    var gaps = false

    @Flag(help: "Start a backfill estimated above 1,000,000 bars (without it, such a run only prints the estimate).")
    var yes = false

    @OptionGroup var files: FileOptions

    func validate() throws {
        for text in symbols {
            do { _ = try Symbol(text) } catch { throw ValidationError("symbol \(text): \(error)") }
        }
        let timeframe = try TimeframeArgument.parse(timeframe)
        try files.checkDatabase(writable: true)
        guard range.from != nil else {
            throw ValidationError("--from is required: the first day to fill, e.g. --from 2024-01-02")
        }
        guard let range = try range.range(now: SystemTimeSource().now()) else { return }
        let estimate = BackfillEstimate(symbols: symbols.count, timeframe: timeframe, range: range)
        if !gaps && estimate.needsConfirmation && !yes {
            throw ValidationError(
                "this backfill would fetch up to \(DisplayFormat.count(estimate.bars)) bars in at least \(DisplayFormat.count(estimate.requests)) requests "
                    + "(\(timeframe.rawValue) bars for \(symbols.count) \(symbols.count == 1 ? "symbol" : "symbols") from \(range.lowerBound.rfc3339Seconds) "
                    + "to \(range.upperBound.rfc3339Seconds)), more than the \(DisplayFormat.count(BackfillEstimate.confirmationBound)) a run "
                    + "fetches without asking; add --yes to start it, or narrow --from/--to or choose a longer --timeframe")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try LaunchSetup.loadConfiguration(path: files.config, environment: environment).configuration
        let logger = LaunchSetup.makeLogger(configuration: configuration, environment: environment)
        let clock = ContinuousClock()
        let timeSource = SystemTimeSource()
        // Usage errors (an unknown --source, no source with history) before the database is opened.
        _ = try Self.historySources(
            configuration, named: source, symbols: try symbols.map { try Symbol($0) },
            factory: ProviderFactory(
                limiters: RateLimiterRegistry(clock: clock, timeSource: timeSource), clock: clock, timeSource: timeSource,
                logger: logger, environment: environment))
        try files.checkDatabase(for: configuration.store, environment: environment)
        let (store, location): (any MarketStore, String)
        do {
            (store, location) = try CollectorRuntime.openStore(
                configuration.store, databasePath: files.db, environment: environment)
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        // The store's request ledger: a backfill spends from the same budgets as every other run.
        let factory = ProviderFactory(
            limiters: RateLimiterRegistry(clock: clock, timeSource: timeSource, ledger: store as? any RequestLedger),
            clock: clock, timeSource: timeSource, logger: logger, environment: environment)
        let symbols = try symbols.map { try Symbol($0) }
        let timeframe = try TimeframeArgument.parse(timeframe)
        guard let range = try range.range(now: timeSource.now()) else { throw ValidationError("--from is required") }
        let candidates = try Self.historySources(configuration, named: source, symbols: symbols, factory: factory)
        let chosen = candidates[0]
        // The same write path as a monitoring run: failed writes keep their rows, revisions are counted.
        let writer = StoreWriter(
            store: store, batchSize: 1, maxRowsPerWrite: configuration.store.batchSize,
            flushInterval: configuration.store.flushInterval, clock: clock, timeSource: timeSource,
            spillFor: store is SQLiteStore ? location : nil, logger: logger)
        let writing = Task { await writer.run() }
        let gapFill = GapBackfill(store: store, writer: writer, timeSource: timeSource)
        var failed: (any Error)?
        do {
            if gaps {
                try await fillGaps(symbols, timeframe, range, from: candidates, with: gapFill, into: location)
            } else {
                try await fill(
                    symbols, timeframe, range, from: chosen, configuration: configuration, writer: writer, gapFill: gapFill,
                    into: location)
            }
        } catch {
            failed = error
        }
        writer.finish()
        await writing.value
        let writes = writer.current
        if writes.barsRevised > 0 {
            let bySource = writes.revisedBySource.sorted { $0.key < $1.key }.map { "\($0.value) from \($0.key.label)" }
            print(
                "revised \(DisplayFormat.count(writes.barsRevised)) stored bars (\(bySource.joined(separator: ", "))); the earlier versions are kept: ticktop history --revisions"
            )
        }
        if let unstored = StoreWriteText.unstored(writes) {
            LaunchSetup.fail(unstored)
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        if let failed { throw failed }
    }

    /// The range from one source, symbol by symbol, with progress; missing windows end in exit status 1.
    private func fill(
        _ symbols: [Symbol], _ timeframe: Timeframe, _ range: ClosedRange<Timestamp>, from chosen: any MarketDataSource,
        configuration: TicktopConfiguration, writer: StoreWriter, gapFill: GapBackfill, into location: String
    ) async throws {
        print(
            "backfill \(timeframe.rawValue) bars \(range.lowerBound.rfc3339Seconds) to \(range.upperBound.rfc3339Seconds) from \(chosen.id.label) into \(location)"
        )
        let estimate = BackfillEstimate(symbols: symbols.count, timeframe: timeframe, range: range)
        print(
            "estimate: up to \(DisplayFormat.count(estimate.bars)) bars in at least \(DisplayFormat.count(estimate.requests)) requests"
        )
        let display = ProgressDisplay(interactive: isatty(STDERR_FILENO) == 1, timeframe: timeframe)
        let backfill = RangeBackfill(
            source: chosen, store: gapFill.store, writer: writer, timeSource: gapFill.timeSource,
            validator: CollectorRuntime.validator(for: configuration))
        var missing = 0
        for symbol in symbols {
            let result = await backfill.run(symbol: symbol, timeframe: timeframe, range: range) { display.show($0) }
            display.finish(result)
            missing += result.missing.count
            if GapFinder.supports(timeframe), let left = try? await gapFill.gaps(symbol, timeframe, in: range), !left.isEmpty {
                print("  \(Self.describe(left)) by the market calendar; --gaps fills them from any source")
            }
        }
        if missing > 0 {
            LaunchSetup.fail("\(missing) windows are still missing; run the same command again to retry them")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }

    /// `--gaps`: the calendar's gaps in the stored history, each asked of the sources in order.
    private func fillGaps(
        _ symbols: [Symbol], _ timeframe: Timeframe, _ range: ClosedRange<Timestamp>, from sources: [any MarketDataSource],
        with gapFill: GapBackfill, into location: String
    ) async throws {
        guard GapFinder.supports(timeframe) else {
            throw ValidationError("--gaps: \(timeframe.rawValue) bars are not checked against the calendar; use 1Min to 1Day")
        }
        print(
            "fill gaps in \(timeframe.rawValue) bars \(range.lowerBound.rfc3339Seconds) to \(range.upperBound.rfc3339Seconds) from \(sources.map(\.id.label).joined(separator: ", ")) into \(location)"
        )
        var stillMissing = 0
        for symbol in symbols {
            let outcome: GapBackfill.Outcome
            do {
                outcome = try await gapFill.run(symbol: symbol, timeframe: timeframe, range: range, sources: sources) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
            } catch {
                LaunchSetup.fail("reading the store failed: \(error)")
                throw ExitCode(OnceVerdict.exitRuntimeFailure)
            }
            let filled = outcome.filled.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) from \($0.key.label)" }
            print(
                "\(symbol): \(outcome.found.isEmpty ? "no gaps" : Self.describe(outcome.found) + " found")"
                    + (filled.isEmpty ? "" : ", filled \(filled.joined(separator: ", "))")
                    + ", quarantined \(outcome.quarantined), "
                    + (outcome.stillMissing.isEmpty ? "none left" : Self.describe(outcome.stillMissing) + " still missing"))
            for gap in outcome.stillMissing.prefix(10) { print("  missing \(gap)") }
            for failure in Set(outcome.failures).sorted().prefix(5) { print("  \(failure)") }
            stillMissing += outcome.stillMissing.count
        }
        if stillMissing > 0 {
            LaunchSetup.fail("\(stillMissing) gaps could not be filled from any source")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
    }

    static func describe(_ gaps: [BarGap]) -> String {
        let bars = gaps.reduce(0) { $0 + $1.missingBars }
        return "\(gaps.count) \(gaps.count == 1 ? "gap" : "gaps") (\(bars) \(bars == 1 ? "bar" : "bars"))"
    }

    /// The named source, or every runnable source that has history in priority order; a clear error when none.
    static func historySources(
        _ configuration: TicktopConfiguration, named: String?, symbols: [Symbol], factory: ProviderFactory
    ) throws -> [any MarketDataSource] {
        let candidates = configuration.sources
            .filter { named == nil || $0.id.rawValue == named }
            .sorted { $0.priority < $1.priority }
        if let named, candidates.isEmpty {
            let known = configuration.sources.map(\.id.rawValue).joined(separator: ", ")
            LaunchSetup.fail("no source named '\(named)' in the configuration (known: \(known))")
            throw ExitCode(OnceVerdict.exitUsage)
        }
        var reasons: [String] = []
        var usable: [any MarketDataSource] = []
        for candidate in candidates {
            let setup = CollectorRuntime.makeSource(candidate, symbols: symbols, faults: [], factory: factory)
            if let source = setup.source, source.capabilities.contains(.historyBars) {
                usable.append(source)
                continue
            }
            let why = setup.source == nil ? "\(setup.state.rawValue): \(setup.detail ?? "")" : "offers no history"
            reasons.append("\(candidate.id.label) \(why)")
        }
        if !usable.isEmpty { return usable }
        LaunchSetup.fail("no source can backfill: \(reasons.joined(separator: "; "))")
        throw ExitCode(OnceVerdict.exitRuntimeFailure)
    }
}
