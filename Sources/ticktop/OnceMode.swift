import Collector
import Foundation
import MonitorUI
import ServiceLifecycle

/// `ticktop --once`: runs the collector until every symbol has a value and the
/// start-up backfill is done (or the deadline passes), shuts it down in order
/// so pending writes are flushed, then prints the report and returns the exit status.
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
        let snapshot = await runtime.state.snapshot()
        let history = await historyCounts(runtime)
        let statistics = await runtime.writer.statistics()
        if statistics.failures > 0 {
            LaunchSetup.fail("warning: \(statistics.failures) store writes failed, \(statistics.rowsDropped) rows not written; last error: \(statistics.lastError ?? "unknown")")
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
            let backfill = await runtime.backfill.report()
            output = try OnceJSON.encode(
                OnceReport(snapshot: snapshot, history: history, store: runtime.storeLocation, backfill: backfill))
        } else {
            output = OnceTextReport(snapshot: snapshot, history: history, store: runtime.storeLocation).render()
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        return OnceVerdict(snapshot).exitCode
    }

    /// Stored bar counts per symbol, read after the writer flushed.
    private func historyCounts(_ runtime: CollectorRuntime) async -> [HistoryCount] {
        var counts: [HistoryCount] = []
        for symbol in runtime.symbols {
            do {
                let daily = try await runtime.store.barCount(symbol: symbol, timeframe: .oneDay)
                let minute = try await runtime.store.barCount(symbol: symbol, timeframe: .oneMinute)
                counts.append(HistoryCount(symbol: symbol, dailyBars: daily, minuteBars: minute))
            } catch {
                LaunchSetup.fail("warning: cannot count stored bars for \(symbol): \(error)")
            }
        }
        return counts
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
