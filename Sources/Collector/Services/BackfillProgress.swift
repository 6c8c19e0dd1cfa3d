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
        /// Failures, one line each, without secrets.
        public var errors: [String] = []
    }

    private var entries: [SourceID: Entry] = [:]
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

    public var allFinished: Bool { entries.values.allSatisfy(\.finished) }

    public func report() -> [Entry] { entries.values.sorted { $0.source < $1.source } }

    /// Returns once every source has finished (at once when none is pending).
    public func waitUntilFinished() async {
        if allFinished { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
