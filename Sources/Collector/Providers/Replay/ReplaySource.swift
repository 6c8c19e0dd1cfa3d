/// Plays recorded market data back from local files as a source (`kind = "replay"`), for demos,
/// tests and offline work. Every value is stamped with this source's id (provenance is the
/// replay, not the provider that first sent it).
///
/// Files (`path` names a file or a directory of files; see `ReplayLoader`): ticktop's CSV bars,
/// quotes and trades, Yahoo's and Alpha Vantage's CSV exports, and JSON Lines in ticktop's own
/// `MarketEvent` JSON or a flat form (`ReplayJSONLinesParser`). Rows that cannot be parsed are
/// skipped and listed in `problems`; the file as a whole failing throws from `init`.
///
/// - `liveStream` plays the values paced by `speed` and re-timed to look live (`ReplayPlayer`).
/// - `historyBars` returns the files' bars with their recorded times; a timeframe the files lack
///   is aggregated from the coarsest finer one they have (`BarAggregator`).
/// - `latestQuotes` reports, per symbol, the last value at or before the replay position (see
///   `latestQuotes(for:)`).
package struct ReplaySource: MarketDataSource {
    package let id: SourceID
    package var kind: String { "replay" }
    package var capabilities: SourceCapabilities { [.historyBars, .latestQuotes] }

    /// The first rows (and files) that could not be used, each with file, line and what is wrong.
    package var problems: [ReplayProblem] { tape.problems }
    /// How many problems there were in all (`problems` keeps the first 100).
    package var problemCount: Int { tape.problemCount }
    /// One line for the source's health, e.g. `2 problems in the replay files: AAPL.csv line 17:
    /// close "abc" is not a number; ...`; nil when every row was usable.
    package var standingIssue: String? { problemSummary }

    package var problemSummary: String? { ReplayProblemLog.summary(of: tape.problems, total: tape.problemCount) }
    /// The files that gave rows, by name.
    package var files: [String] { tape.files }
    /// The symbols the files hold values for, in order of first appearance.
    package var symbols: [Symbol] { tape.symbols }
    /// What is being replayed, e.g. `AAPL.csv: 250 bars of AAPL at 10x, looping`.
    package var summary: String {
        let (quotes, trades, bars) = tape.counts
        let kinds = [(quotes, "quote"), (trades, "trade"), (bars, "bar")].filter { $0.0 > 0 }
            .map { "\($0.0) \($0.1)\($0.0 == 1 ? "" : "s")" }.joined(separator: ", ")
        let names =
            tape.symbols.prefix(8).map(\.rawValue).joined(separator: ", ")
            + (tape.symbols.count > 8 ? " and \(tape.symbols.count - 8) more" : "")
        let files = tape.files.count <= 3 ? tape.files.joined(separator: ", ") : "\(tape.files.count) files"
        let pace = speed == 1 ? "recorded pace" : speed.rounded() == speed && speed < 1e9 ? "\(Int(speed))x" : "\(speed)x"
        return "\(files): \(kinds) of \(names) at \(pace)\(loop ? ", looping" : "")"
    }

    /// The longest recorded gap the stream waits out (before dividing by the speed): a file's
    /// nights and weekends play as one such step. One minute keeps 1-minute data at its recorded
    /// pace at speed 1, and a daily file plays one day a minute (a day every 6 s at speed 10).
    package static let defaultMaximumGap: Duration = .seconds(60)

    let speed: Double
    let loop: Bool
    private let tape: ReplayTape
    private let player: ReplayPlayer
    private let position = ReplayPosition()
    private let timeSource: any TimeSource

    /// Loads `configuration.replayPath` (`replaySpeed`, `replayLoop`); throws `ReplayError` naming
    /// the path when it cannot be replayed. Loading reads every file now, so a million rows take
    /// a moment.
    package init(
        configuration: SourceConfiguration, clock: any Clock<Duration>, timeSource: any TimeSource,
        maximumGap: Duration = ReplaySource.defaultMaximumGap
    ) throws {
        id = configuration.id
        speed = configuration.replaySpeed
        loop = configuration.replayLoop
        guard speed > 0, speed.isFinite else { throw ReplayError.badSpeed(speed) }
        guard let path = configuration.replayPath else { throw ReplayError.noPath }
        tape = try ReplayLoader.load(path: path)
        self.timeSource = timeSource
        player = ReplayPlayer(
            tape: tape, source: configuration.id, clock: clock, timeSource: timeSource, speed: speed, loop: loop,
            maximumGap: max(maximumGap, .nanoseconds(1)), position: position)
    }

    /// Plays the files' values for `symbols` (all of them when empty). Ends at the end of the
    /// files unless looping; a later stream continues where the last one stopped, or starts over
    /// once the end was reached. Throws `ProviderError.unavailable` when the files hold none of `symbols`.
    package func liveStream(for symbols: [Symbol]) -> AsyncThrowingStream<[MarketEvent], any Error> {
        AsyncThrowingStream { continuation in
            let player = self.player
            let task = Task(executorPreference: CoreThread.preferred) { await player.run(symbols, into: continuation) }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The files' bars of `symbol` and `timeframe` whose start lies in `range`, oldest first, with
    /// their recorded times (one bar per start; a later file wins). When the files have no bars
    /// of `timeframe` for the symbol, the coarsest finer bars are aggregated (a daily or longer
    /// bar from intraday bars covers one New York trading date). No bars: an empty result.
    package func historyBars(for symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws -> [Bar]
    {
        guard let index = tape.symbolIndex[symbol] else { return [] }
        if let rows = tape.bars[ReplayTape.Series(symbol: index, timeframe: timeframe)] {
            return bars(rows, from: range.lowerBound, through: range.upperBound)
        }
        guard let finer = tape.timeframes(of: index).last(where: { $0 < timeframe }),
            let rows = tape.bars[ReplayTape.Series(symbol: index, timeframe: finer)]
        else { return [] }
        // Far-off bounds are clamped so the bucket arithmetic cannot overflow.
        let lower = max(range.lowerBound, Timestamp(nanoseconds: Int64.min / 2))
        let upper = min(range.upperBound, Timestamp(nanoseconds: Int64.max / 2))
        let through = BarAggregator.bucketEnd(of: timeframe, startingAt: upper) + .seconds(86_400)
        var fine = bars(rows, from: timeframe.bucketStart(containing: lower), through: through)
        if timeframe >= .oneDay && finer < .oneDay {
            for i in fine.indices { fine[i].start = fine[i].start.newYorkTradingDay }
        }
        return BarAggregator.aggregate(fine, into: timeframe).filter { range.contains($0.start) }
    }

    /// For each symbol (all of the files' symbols when empty), the last value at or before the
    /// replay position: its last quote if the files have quotes for it, else its last trade or
    /// bar close as a `Quote(lastTrade:)`. Before a stream has played anything (and after the
    /// end) that is the files' last value. Times look live like the stream's: exchange time is
    /// now minus the recorded delay (or now), received now. Symbols the files lack are left out.
    package func latestQuotes(for symbols: [Symbol]) async throws -> [Quote] {
        let now = timeSource.now()
        let next = position.next
        var seen: Set<Symbol> = []
        return (symbols.isEmpty ? tape.symbols : symbols).compactMap { symbol -> Quote? in
            guard seen.insert(symbol).inserted, let index = tape.symbolIndex[symbol],
                let rowIndex = ReplayTape.last(of: tape.priceRows[index], before: next)
            else { return nil }
            let row = tape.rows[rowIndex]
            let time = now - .nanoseconds(min(max(row.delay, 0), ReplayRetimer.maximumDelay))
            if row.kind == .quote, case .quote(let quote) = row.event(source: id, time: time, receivedAt: now, tape: tape) {
                return quote
            }
            return Quote(lastTrade: symbol, source: id, price: row.lastPrice, exchangeTime: time, receivedAt: now)
        }
    }

    /// Every value with its recorded times, in timeline order (received = exchange time plus the
    /// recorded delay when known); for tests and diagnostics.
    var recordedValues: [MarketEvent] {
        tape.rows.map { row in
            let time = Timestamp(nanoseconds: row.time)
            return row.event(source: id, time: time, receivedAt: time + .nanoseconds(max(row.delay, 0)), tape: tape)
        }
    }

    /// Bars of the series `rows` (row indices, oldest first) with start in `from...through`, one per start.
    private func bars(_ rows: [Int], from: Timestamp, through: Timestamp) -> [Bar] {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if tape.rows[rows[middle]].time < from.nanoseconds { low = middle + 1 } else { high = middle }
        }
        var result: [Bar] = []
        for rowIndex in rows[low...] {
            let row = tape.rows[rowIndex]
            guard row.time <= through.nanoseconds else { break }
            let start = Timestamp(nanoseconds: row.time)
            guard case .bar(let bar) = row.event(source: id, time: start, receivedAt: start, tape: tape) else { continue }
            if result.last?.start == bar.start { result[result.count - 1] = bar } else { result.append(bar) }
        }
        return result
    }
}
