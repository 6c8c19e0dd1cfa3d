/// Tracks the start-up history work per source, so `--once` can wait for it
/// and report what came from the store and what was fetched.
public actor BackfillProgress {
    public struct Entry: Sendable, Hashable, Codable {
        public var source: SourceID
        public var finished: Bool = false
        /// Bars read back from the store into memory at start.
        public var barsLoadedFromStore: Int = 0
        /// Bars fetched from the source to fill the gap since the last stored bar.
        public var barsFetched: Int = 0
        /// History requests answered (a source may page within one).
        public var requests: Int = 0
        /// Failures, one line each, without secrets.
        public var errors: [String] = []
    }

    private var entries: [SourceID: Entry] = [:]
    /// Per series, the span the start-up backfill judged (widest over sources).
    private var windows: [Series: ClosedRange<Timestamp>] = [:]
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(sources: [SourceID]) {
        for id in sources { entries[id] = Entry(source: id) }
    }

    public func update(_ id: SourceID, _ change: @Sendable (inout Entry) -> Void) {
        var entry = entries[id] ?? Entry(source: id)
        change(&entry)
        entries[id] = entry
        if allFinished {
            for waiter in waiters { waiter.resume() }
            waiters.removeAll()
        }
    }

    /// A symbol and timeframe whose history a backfill judged.
    public struct Series: Sendable, Hashable, Comparable {
        public var symbol: Symbol
        public var timeframe: Timeframe

        public init(symbol: Symbol, timeframe: Timeframe) {
            self.symbol = symbol
            self.timeframe = timeframe
        }

        public static func < (a: Series, b: Series) -> Bool {
            (a.symbol, a.timeframe) < (b.symbol, b.timeframe)
        }
    }

    /// Records that a backfill planned `window` of the series (coverage is judged over it).
    public func judged(_ symbol: Symbol, _ timeframe: Timeframe, _ window: ClosedRange<Timestamp>) {
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

    public var allFinished: Bool { entries.values.allSatisfy(\.finished) }

    public func report() -> [Entry] { entries.values.sorted { $0.source < $1.source } }

    /// Returns once every source has finished (at once when none is pending).
    public func waitUntilFinished() async {
        if allFinished { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
