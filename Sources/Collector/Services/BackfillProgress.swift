/// Tracks the start-up history work per source, so `--once` can wait for it
/// and report what came from the store and what was fetched.
public actor BackfillProgress {
    public struct Entry: Sendable, Hashable, Codable {
        public var source: SourceID
        package var finished: Bool = false
        /// Bars read back from the store into memory at start.
        public var barsLoadedFromStore: Int = 0
        /// Bars fetched from the source to fill the gap since the last stored bar.
        public var barsFetched: Int = 0
        /// History requests answered (a source may page within one).
        package var requests: Int = 0
        /// Failures, one line each, without secrets.
        public var errors: [String] = []
        /// Windows planned but not fetched yet (not reached, or refused by a throttle): what the
        /// next run fetches.
        public var pending: [Window] = []

        package init(source: SourceID) { self.source = source }
    }

    /// One symbol's history at one timeframe, back `days` days (or to the last stored bar).
    public struct Window: Sendable, Hashable, Codable, CustomStringConvertible {
        public var symbol: Symbol
        public var timeframe: Timeframe
        public var days: Int

        package init(symbol: Symbol, timeframe: Timeframe, days: Int) {
            self.symbol = symbol
            self.timeframe = timeframe
            self.days = days
        }

        public var description: String { "\(symbol) \(timeframe.rawValue) bars (up to \(days) day\(days == 1 ? "" : "s"))" }
    }

    private var entries: [SourceID: Entry] = [:]
    /// Per series, the span the start-up backfill judged (widest over sources).
    private var windows: [Series: ClosedRange<Timestamp>] = [:]
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    package init(sources: [SourceID]) {
        for id in sources { entries[id] = Entry(source: id) }
    }

    package func update(_ id: SourceID, _ change: @Sendable (inout Entry) -> Void) {
        var entry = entries[id] ?? Entry(source: id)
        change(&entry)
        entries[id] = entry
        if allFinished {
            for waiter in waiters.values { waiter.resume() }
            waiters.removeAll()
        }
    }

    /// A symbol and timeframe whose history a backfill judged.
    public struct Series: Sendable, Hashable, Comparable {
        public var symbol: Symbol
        public var timeframe: Timeframe

        package init(symbol: Symbol, timeframe: Timeframe) {
            self.symbol = symbol
            self.timeframe = timeframe
        }

        public static func < (a: Series, b: Series) -> Bool {
            (a.symbol, a.timeframe) < (b.symbol, b.timeframe)
        }
    }

    /// Records that a backfill planned `window` of the series (coverage is judged over it).
    package func judged(_ symbol: Symbol, _ timeframe: Timeframe, _ window: ClosedRange<Timestamp>) {
        let key = Series(symbol: symbol, timeframe: timeframe)
        if let known = windows[key] {
            windows[key] = min(known.lowerBound, window.lowerBound)...max(known.upperBound, window.upperBound)
        } else {
            windows[key] = window
        }
    }

    /// The series judged, with their windows, by symbol then timeframe.
    public func judgedWindows() -> [(series: Series, window: ClosedRange<Timestamp>)] {
        windows.sorted { $0.key < $1.key }.map { (series: $0.key, window: $0.value) }
    }

    package var allFinished: Bool { entries.values.allSatisfy(\.finished) }

    public func report() -> [Entry] { entries.values.sorted { $0.source < $1.source } }

    /// Returns once every source has finished (at once when none is pending), or when the
    /// task is cancelled: an interrupted backfill never finishes, and its waiter (the `--once`
    /// watcher at its deadline) must not wait for it.
    package func waitUntilFinished() async {
        if allFinished { return }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled { continuation.resume() } else { waiters[id] = continuation }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
    }

    private func release(_ waiter: Int) {
        waiters.removeValue(forKey: waiter)?.resume()
    }
}
