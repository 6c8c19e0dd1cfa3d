import ArgumentParser
import Collector
import Foundation
import MonitorUI

/// `ticktop history SYMBOL [--sources]`: the stored bars of one symbol, or
/// which source said what for each bar (provenance).
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show a symbol's stored bars; --sources puts each source's value side by side.")

    @Argument(help: "The symbol, e.g. AAPL.")
    var symbol: String

    @Option(help: "Bar timeframe: 1Min, 5Min, 15Min, 30Min, 1Hour, 4Hour, 1Day, 1Week, 1Month.")
    var timeframe: String = "1Day"

    @OptionGroup var range: TimeRangeOptions

    @Option(help: "Without --from: how many bar starts to show.")
    var limit: Int = 20

    @Flag(help: "One row per bar start with each source's close, the spread between them and disagreements.")
    var sources = false

    @Flag(help: "Bars a provider later sent with other values: every earlier version, when it was received and replaced.")
    var revisions = false

    @Flag(help: "The tape ([store] ticks = true): every recorded trade and quote, exactly as received (--limit: the newest).")
    var ticks = false

    @OptionGroup var files: FileOptions

    func validate() throws {
        do { _ = try Symbol(symbol) } catch { throw ValidationError("symbol \(symbol): \(error)") }
        _ = try TimeframeArgument.parse(timeframe)
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000, got \(limit)") }
        if [sources, revisions, ticks].filter({ $0 }).count > 1 {
            throw ValidationError("--sources, --revisions and --ticks show different tables; choose one")
        }
        _ = try range.range(now: SystemTimeSource().now())
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let configuration = try LaunchSetup.loadConfiguration(path: files.config, environment: environment).configuration
        let symbol = try Symbol(symbol)
        let timeframe = try TimeframeArgument.parse(timeframe)
        let store: any MarketStore
        do {
            // Read-only: a history query never changes the database (and works on a read-only file).
            (store, _) = try CollectorRuntime.openStore(
                configuration.store, databasePath: files.db, environment: environment, readOnly: true)
        } catch {
            LaunchSetup.fail("\(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        if ticks {
            try await printTicks(symbol, from: store)
            return
        }
        let bars: [Bar]
        var revised: [BarRevision] = []
        do {
            if let range = try range.range(now: SystemTimeSource().now()) {
                bars = try await store.bars(symbol: symbol, timeframe: timeframe, source: nil, in: range)
            } else {
                bars = try await Self.lastStarts(limit, of: symbol, timeframe: timeframe, in: store)
            }
            if revisions, let first = bars.first?.start, let last = bars.last?.start {
                revised = try await store.barRevisions(symbol: symbol, timeframe: timeframe, in: first...last)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            LaunchSetup.fail("reading the store failed: \(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        let table = HistoryTable(symbol: symbol, timeframe: timeframe, bars: bars)
        print((revisions ? table.revisionLines(revised) : table.lines(bySource: sources)).joined(separator: "\n"))
    }

    /// `--ticks`: the recorded trades and quotes in the range, or the newest `limit` of them.
    private func printTicks(_ symbol: Symbol, from store: any MarketStore) async throws {
        guard let tape = store as? any TickStore else {
            LaunchSetup.fail("this store keeps no tape (ticks are recorded in SQLite and in memory)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        let recorded: [Tick]
        do {
            let given = try range.range(now: SystemTimeSource().now())
            recorded = try await tape.ticks(
                symbol: symbol, source: nil, in: given ?? Timestamp.supportedRange, limit: given == nil ? limit : Int.max)
        } catch let error as ValidationError {
            throw error
        } catch {
            LaunchSetup.fail("reading the store failed: \(error)")
            throw ExitCode(OnceVerdict.exitRuntimeFailure)
        }
        print(TapeTable(symbol: symbol, ticks: recorded).lines().joined(separator: "\n"))
    }

    /// The bars of the newest `count` bar starts, from every source.
    static func lastStarts(_ count: Int, of symbol: Symbol, timeframe: Timeframe, in store: any MarketStore) async throws
        -> [Bar]
    {
        // `recentBars` counts rows, not starts: read enough rows for several sources, then every
        // source's bars from the earliest of the newest `count` starts.
        let recent = try await store.recentBars(symbol: symbol, timeframe: timeframe, source: nil, limit: count * 8)
        let starts = Array(Set(recent.map(\.start))).sorted().suffix(count)
        guard let earliest = starts.first else { return [] }
        return try await store.bars(
            symbol: symbol, timeframe: timeframe, source: nil, in: earliest...Timestamp(nanoseconds: .max))
    }
}
