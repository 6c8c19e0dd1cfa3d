/// How completely one series (symbol and timeframe) is stored over a window: the stored
/// bars in it, from every source, and the runs of bars the market calendar expects that
/// are missing. What `--once` reports per series after the start-up backfill.
public struct SeriesCoverage: Sendable, Hashable {
    public var symbol: Symbol
    public var timeframe: Timeframe
    /// The span judged.
    public var window: ClosedRange<Timestamp>
    /// Distinct bar starts stored in the window.
    public var storedBars: Int
    /// The oldest and newest stored bar start in the window, when any.
    public var stored: ClosedRange<Timestamp>?
    /// Expected bars missing, oldest first.
    public var missing: [BarGap]

    package init(
        symbol: Symbol, timeframe: Timeframe, window: ClosedRange<Timestamp>, storedBars: Int,
        stored: ClosedRange<Timestamp>?, missing: [BarGap]
    ) {
        self.symbol = symbol
        self.timeframe = timeframe
        self.window = window
        self.storedBars = storedBars
        self.stored = stored
        self.missing = missing
    }

    public var isComplete: Bool { missing.isEmpty }
    public var missingBars: Int { missing.reduce(0) { $0 + $1.missingBars } }

    /// How long after its end a bar may still be missing without counting as a hole:
    /// providers publish a minute bar some seconds after it closes, and the live stream
    /// delivers the newest ones.
    package static let settle: Duration = .seconds(60)

    /// The coverage of the series over `window` as stored now. Bars ending within
    /// `settle` of the window's end are not judged.
    public static func check(
        _ symbol: Symbol, _ timeframe: Timeframe, in window: ClosedRange<Timestamp>, store: any MarketStore,
        planner: BackfillPlanner = BackfillPlanner()
    ) async throws -> SeriesCoverage {
        let starts = try await store.barStarts(symbol: symbol, timeframe: timeframe, source: nil, in: window)
        let judged = window.lowerBound...max(window.lowerBound, window.upperBound - settle)
        return SeriesCoverage(
            symbol: symbol, timeframe: timeframe, window: window, storedBars: starts.count,
            stored: starts.first.flatMap { first in starts.last.map { first...$0 } },
            missing: planner.missing(symbol, timeframe, in: judged, stored: Set(starts)))
    }
}
