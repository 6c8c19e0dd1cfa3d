/// Fills the holes in one symbol's stored history: finds the bars the market
/// calendar expects but the store lacks (from any source), then asks the
/// sources in order for each gap until it is filled. Fetched bars are
/// validated and stored with the source they came from, like any backfill
/// (through `writer`, which must be running).
public struct GapBackfill: Sendable {
    public let store: any MarketStore
    package let writer: StoreWriter
    public let timeSource: any TimeSource
    package let finder: GapFinder

    public init(store: any MarketStore, writer: StoreWriter, timeSource: any TimeSource, finder: GapFinder = GapFinder()) {
        self.store = store
        self.writer = writer
        self.timeSource = timeSource
        self.finder = finder
    }

    public struct Outcome: Sendable, Hashable {
        public var found: [BarGap] = []
        /// Bars stored per source that filled something.
        public var filled: [SourceID: Int] = [:]
        public var quarantined = 0
        /// What no source could fill, with the last reason when a source failed.
        public var stillMissing: [BarGap] = []
        public var failures: [String] = []
    }

    /// The gaps in the stored history of `symbol` in `range`.
    public func gaps(_ symbol: Symbol, _ timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [BarGap] {
        let expected = finder.expectedStarts(symbol.assetClass, timeframe, in: range)
        guard !expected.isEmpty else { return [] }
        let stored = try await store.barStarts(symbol: symbol, timeframe: timeframe, source: nil, in: range)
        return finder.gaps(expected: expected, stored: Set(stored))
    }

    /// Finds the gaps and tries `sources` in order for each; `report` is told each step.
    public func run(
        symbol: Symbol, timeframe: Timeframe, range: ClosedRange<Timestamp>, sources: [any MarketDataSource],
        report: @Sendable (String) async -> Void = { _ in }
    ) async throws -> Outcome {
        var outcome = Outcome()
        outcome.found = try await gaps(symbol, timeframe, in: range)
        for gap in outcome.found {
            let window = gap.first...(gap.last + timeframe.nominalDuration - .nanoseconds(1))
            for source in sources where source.capabilities.contains(.historyBars) {
                if Task.isCancelled { break }
                let fill = RangeBackfill(source: source, store: store, writer: writer, timeSource: timeSource)
                let progress = await fill.run(symbol: symbol, timeframe: timeframe, range: window)
                outcome.quarantined += progress.quarantined
                if progress.stored > 0 { outcome.filled[source.id, default: 0] += progress.stored }
                outcome.failures += progress.missing.map { "\(source.id.label): \($0.reason)" }
                let left = try await gaps(symbol, timeframe, in: window)
                await report(
                    "\(symbol) gap \(gap): \(progress.stored) bars from \(source.id.label), \(left.reduce(0) { $0 + $1.missingBars }) still missing"
                )
                if left.isEmpty { break }
            }
        }
        outcome.stillMissing = try await gaps(symbol, timeframe, in: range)
        return outcome
    }
}
