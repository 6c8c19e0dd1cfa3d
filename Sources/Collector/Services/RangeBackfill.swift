/// Fills the store with one symbol's bars over a date range from one source
/// (`ticktop backfill`): the range is fetched in windows (the source pages
/// within each), every bar is validated as history, clean bars are stored,
/// failing ones are stored as anomalies, and a window whose fetch fails is
/// reported as still missing while the others go on. A window in which the source has
/// stored every bar the market calendar expects is not fetched again; of one
/// partly stored, only what `BackfillPlanner` finds missing is fetched.
///
/// Rows are written through a running `StoreWriter`, like every other write: a write
/// that fails keeps its rows (memory, spill file) and retries them, and revisions are
/// counted. Each window waits for its rows to be written or kept before the next.
public struct RangeBackfill: Sendable {
    package let source: any MarketDataSource
    /// Read to plan the requests (what is stored already).
    package let store: any MarketStore
    /// Where the rows go; it must be running.
    package let writer: StoreWriter
    package let timeSource: any TimeSource
    /// The rules every fetched bar goes through (a fresh copy per run).
    package let validator: Validator

    public init(
        source: any MarketDataSource, store: any MarketStore, writer: StoreWriter, timeSource: any TimeSource,
        validator: Validator = Validator()
    ) {
        self.source = source
        self.store = store
        self.writer = writer
        self.timeSource = timeSource
        self.validator = validator
    }

    /// Where a run stands after each window.
    public struct Progress: Sendable, Hashable {
        public var symbol: Symbol
        public var windowsDone: Int
        public var windowCount: Int
        public var fetched = 0
        public var stored = 0
        /// Bars that were already in the store (a re-run stores nothing twice).
        public var alreadyStored = 0
        /// Bars stored before with other values: kept as revisions and replaced.
        public var revised = 0
        /// Rows waiting to be written because writes fail (kept in memory or the spill file).
        public var waiting = 0
        /// Why writes fail, while they do (`disk full`).
        public var writeFailure: String?
        /// Windows not fetched because the store already held every expected bar.
        public var windowsAlreadyComplete = 0
        public var quarantined = 0
        /// Windows that failed, with the reason.
        public var missing: [Missing] = []

        public var fraction: Double { windowCount == 0 ? 1 : Double(windowsDone) / Double(windowCount) }
    }

    public struct Missing: Sendable, Hashable {
        public var range: ClosedRange<Timestamp>
        public var reason: String
    }

    /// The span fetched per window: small enough to show progress and to lose
    /// little when one fails, large enough not to waste requests.
    package static func windowLength(for timeframe: Timeframe) -> Duration {
        switch timeframe {
        case .oneMinute: .seconds(5 * 86_400)
        case .fiveMinutes, .fifteenMinutes: .seconds(30 * 86_400)
        case .thirtyMinutes, .oneHour, .fourHours: .seconds(120 * 86_400)
        case .oneDay, .oneWeek, .oneMonth: .seconds(5 * 365 * 86_400)
        }
    }

    /// The windows covering `range`, oldest first, each inclusive and not overlapping.
    package static func windows(_ range: ClosedRange<Timestamp>, timeframe: Timeframe) -> [ClosedRange<Timestamp>] {
        let step = windowLength(for: timeframe)
        var result: [ClosedRange<Timestamp>] = []
        var start = range.lowerBound
        while start <= range.upperBound {
            let end = min(start + step - .nanoseconds(1), range.upperBound)
            result.append(start...end)
            start = end + .nanoseconds(1)
        }
        return result
    }

    /// Runs the backfill, calling `report` after every window.
    public func run(
        symbol: Symbol, timeframe: Timeframe, range: ClosedRange<Timestamp>,
        report: @Sendable (Progress) async -> Void = { _ in }
    ) async -> Progress {
        let windows = Self.windows(range, timeframe: timeframe)
        var progress = Progress(symbol: symbol, windowsDone: 0, windowCount: windows.count)
        var validator = self.validator
        await report(progress)
        for window in windows {
            if Task.isCancelled { break }
            let requests = await requests(symbol, timeframe, window)
            if requests.isEmpty {
                progress.windowsAlreadyComplete += 1
                progress.windowsDone += 1
                await report(progress)
                continue
            }
            do {
                var bars: [Bar] = []
                for request in requests {
                    bars += try await source.historyBars(for: symbol, timeframe: timeframe, in: request)
                }
                let checked = validator.validate(bars.map(MarketEvent.bar), origin: .history, at: timeSource.now())
                let clean = checked.accepted.compactMap { event -> Bar? in
                    if case .bar(let bar) = event { return bar } else { return nil }
                }
                let before = writer.current
                writer.submit(StoreBatch(bars: clean, anomalies: checked.anomalies))
                await writer.flushed()
                let after = writer.current
                progress.fetched += bars.count
                // Counted when written: rows kept after a failed write count when a retry writes them.
                progress.stored += after.barsInserted - before.barsInserted
                progress.alreadyStored += after.barsAlreadyStored - before.barsAlreadyStored
                progress.revised += after.barsRevised - before.barsRevised
                progress.waiting = after.rowsWaiting
                progress.writeFailure = after.failureCause
                progress.quarantined += checked.anomalies.count
            } catch is CancellationError {
                break
            } catch {
                progress.missing.append(Missing(range: window, reason: String(describing: error)))
            }
            progress.windowsDone += 1
            await report(progress)
        }
        return progress
    }

    /// What to fetch of `window`: nothing when this source stored every bar the calendar
    /// expects there, else the planner's requests; the whole window when the calendar
    /// does not judge the timeframe or the store cannot be read.
    private func requests(_ symbol: Symbol, _ timeframe: Timeframe, _ window: ClosedRange<Timestamp>) async
        -> [ClosedRange<Timestamp>]
    {
        guard GapFinder.supports(timeframe),
            let stored = try? await store.barStarts(symbol: symbol, timeframe: timeframe, source: source.id, in: window)
        else { return [window] }
        let planner = BackfillPlanner()
        if stored.isEmpty { return [window] }
        if planner.missing(symbol, timeframe, in: window, stored: Set(stored)).isEmpty { return [] }
        return planner.plan(symbol, timeframe, in: window, stored: stored, barsPerRequest: source.historyBarsPerRequest).requests
    }
}
