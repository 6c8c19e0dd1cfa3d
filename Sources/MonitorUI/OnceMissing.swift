import Collector

/// What a `--once` run had not got when it ended: symbols without a value, start-up
/// backfill windows not fetched (the next run fetches them), and the sources whose
/// requests were paused (a throttle or quota note) with when the pause ends.
/// Field names are part of the scripting interface (`missing` in the JSON report).
public struct OnceMissing: Sendable, Codable, Equatable {
    /// Why the run ended.
    public enum Ending: String, Sendable, Codable {
        /// Every symbol had a value, every source had been heard from and the backfill was done.
        case complete
        /// `--deadline` (or `collect.once_deadline`) passed first.
        case deadline
        /// SIGINT or SIGTERM.
        case signal
    }

    package struct Window: Sendable, Codable, Equatable {
        package var source: String
        package var symbol: String
        package var timeframe: String
        package var days: Int
    }

    package struct Pause: Sendable, Codable, Equatable {
        package var source: String
        package var until: String
        /// The source's own words for its state (e.g. the provider's quota note), when it has them.
        package var reason: String?
    }

    package var endedBy: Ending
    /// The deadline the run had, in seconds.
    package var deadlineSeconds: Double
    package var symbols: [String]
    package var backfill: [Window]
    package var paused: [Pause]

    /// - Parameter pauses: the end of each source's running request pause (its rate limiter's).
    public init(
        endedBy: Ending, deadline: Duration, snapshot: MarketSnapshot, backfill: [BackfillProgress.Entry],
        pauses: [SourceID: Timestamp]
    ) {
        self.endedBy = endedBy
        deadlineSeconds = deadline.secondsValue
        symbols = snapshot.symbols.filter { $0.selected == nil }.map(\.symbol.rawValue)
        self.backfill = backfill.flatMap { entry in
            entry.pending.map {
                Window(source: entry.source.label, symbol: $0.symbol.rawValue, timeframe: $0.timeframe.rawValue, days: $0.days)
            }
        }
        paused = pauses.filter { $0.value > snapshot.takenAt }.sorted { $0.key < $1.key }.map { id, until in
            let health = snapshot.sources.first { $0.source == id }
            return Pause(source: id.label, until: until.iso8601, reason: health?.detail ?? health?.lastError)
        }
    }

    /// Something the run set out to get is not there.
    package var isIncomplete: Bool { !symbols.isEmpty || !backfill.isEmpty }

    /// The text report's lines: nothing when the run got everything and nothing is paused.
    package func lines() -> [String] {
        guard isIncomplete || !paused.isEmpty else { return [] }
        var lines: [String] = []
        switch endedBy {
        case .complete: lines.append("INCOMPLETE")
        case .deadline: lines.append("INCOMPLETE  the deadline (\(DisplayFormat.fixed(deadlineSeconds, 1))s) passed first")
        case .signal: lines.append("INCOMPLETE  stopped by a signal")
        }
        if !symbols.isEmpty { lines.append("  no value: \(symbols.joined(separator: ", "))") }
        if !backfill.isEmpty {
            let shown = backfill.prefix(6).map { "\($0.source) \($0.symbol) \($0.timeframe)" }.joined(separator: ", ")
            let more = backfill.count > 6 ? " and \(backfill.count - 6) more" : ""
            lines.append("  backfill not fetched (the next run fetches it): \(shown)\(more)")
        }
        for pause in paused {
            let time = "\(pause.until.prefix(10)) \(pause.until.dropFirst(11).prefix(5)) UTC"
            lines.append("  \(pause.source) paused until \(time)" + (pause.reason.map { ": \($0)" } ?? ""))
        }
        return lines
    }
}
