import Collector
import Foundation
import MonitorUI
import ServiceLifecycle

/// `ticktop --once`: runs the collector until every symbol has a value and the
/// start-up backfill is done (or the deadline passes), shuts it down in order
/// so pending writes are flushed, then prints the report and returns the exit status.
/// The shutdown cancels whatever still waits (a rate limiter, a throttle pause, a
/// backfill window), so the run ends by the deadline; the report says what is missing.
struct OnceMode {
    let setup: LaunchSetup
    let json: Bool

    func run() async throws -> Int32 {
        let runtime = setup.runtime
        if runtime.sources.isEmpty {
            // Nothing can deliver: report the sources' states now instead of waiting for the deadline.
            LaunchSetup.fail("no configured source can run; see the SOURCE table for why")
            return try await report(runtime, outcome: nil)
        }
        let outcome = CompletionWatcher.OutcomeBox()
        let watcher = CompletionWatcher(
            state: runtime.state, backfill: runtime.backfill, deadline: setup.deadline, clock: setup.clock,
            outcome: outcome)
        let group = ServiceGroup(
            configuration: .init(
                services: runtime.services + [
                    .init(service: watcher, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "once")
                ],
                gracefulShutdownSignals: ShutdownSignals.all, logger: setup.logger))
        try await group.run()
        return try await report(runtime, outcome: outcome.outcome)
    }

    /// Prints the text or JSON report of the final state and returns the exit status.
    private func report(_ runtime: CollectorRuntime, outcome: CompletionWatcher.Outcome?) async throws -> Int32 {
        let snapshot = await runtime.snapshot()  // with the store writer's statistics after its final flush
        let history = await historyCounts(runtime)
        let coverage = await coverage(runtime)
        let backfill = await runtime.backfill.report()
        let ending: OnceMissing.Ending =
            switch outcome {
            case .complete: .complete
            case .deadlinePassed: .deadline
            case nil: runtime.sources.isEmpty ? .complete : .signal
            }
        let missing = OnceMissing(
            endedBy: ending, deadline: setup.deadline, snapshot: snapshot, backfill: backfill,
            pauses: await runtime.requestPauses())
        if let writes = snapshot.store, let unstored = StoreWriteText.unstored(writes) {
            LaunchSetup.fail(unstored)
        }
        if outcome == .deadlinePassed {
            let missing = snapshot.symbols.filter { $0.selected == nil }.map(\.symbol.rawValue)
            if !missing.isEmpty {
                let seconds = DisplayFormat.fixed(setup.deadline.secondsValue, 1)
                LaunchSetup.fail("no value within \(seconds)s for \(missing.joined(separator: ", "))")
            }
        }
        let output: String
        if json {
            output = try OnceJSON.encode(
                OnceReport(
                    snapshot: snapshot, history: history, store: runtime.storeLocation, backfill: backfill, missing: missing,
                    coverage: coverage))
        } else {
            output = OnceTextReport(
                snapshot: snapshot, history: history, store: runtime.storeLocation, missing: missing, coverage: coverage
            ).render()
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        return OnceVerdict(snapshot, missing: missing, coverage: coverage).exitCode
    }

    /// The coverage of every series the backfill judged, read after the writer flushed. The first
    /// failed read ends the checks with one warning: a store that cannot answer one would repeat
    /// the same error (or its timeout) for every series.
    private func coverage(_ runtime: CollectorRuntime) async -> [SeriesCoverage] {
        var result: [SeriesCoverage] = []
        let judged = await runtime.backfill.judgedWindows()
        for (index, (series, window)) in judged.enumerated() {
            do {
                result.append(try await SeriesCoverage.check(series.symbol, series.timeframe, in: window, store: runtime.store))
            } catch {
                LaunchSetup.fail(
                    "warning: cannot check stored \(series.timeframe.rawValue) bars for \(series.symbol)"
                        + Self.skipped(judged.count - index - 1, "series") + ": \(error)")
                break
            }
        }
        return result
    }

    /// Stored bar counts per symbol, read after the writer flushed; the first failed read ends them
    /// with one warning, as in `coverage`.
    private func historyCounts(_ runtime: CollectorRuntime) async -> [HistoryCount] {
        var counts: [HistoryCount] = []
        let symbols = runtime.symbols
        for (index, symbol) in symbols.enumerated() {
            do {
                let daily = try await runtime.store.barCount(symbol: symbol, timeframe: .oneDay)
                let minute = try await runtime.store.barCount(symbol: symbol, timeframe: .oneMinute)
                counts.append(HistoryCount(symbol: symbol, dailyBars: daily, minuteBars: minute))
            } catch {
                LaunchSetup.fail(
                    "warning: cannot count stored bars for \(symbol)" + Self.skipped(symbols.count - index - 1, "symbols")
                        + ": \(error)")
                break
            }
        }
        return counts
    }

    /// " (and N more series not checked)", or nothing when none were left.
    private static func skipped(_ count: Int, _ noun: String) -> String {
        count > 0 ? " (and \(count) more \(noun) not checked)" : ""
    }
}

/// JSON output settings for `--once --json`: stable key order, readable.
enum OnceJSON {
    static func encode(_ report: OnceReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}
