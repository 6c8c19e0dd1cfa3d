import Collector

/// What a `--once` run concluded, and the documented exit status for it.
/// Rows that could not be stored outrank everything (the run failed at its core
/// job: exit 1, as for any runtime failure). A followed store whose fleet has no collector alive
/// comes next (nothing shown is live: exit 2). Missing or stale data outranks quarantined values
/// (no price is worse than a flagged one), which outrank sources that disagree, which outrank holes
/// in stored history (today's prices matter more than last week's bars). A symbol whose market is
/// closed has its last value and is neither missing nor stale.
public enum OnceVerdict: Sendable, Hashable {
    /// Every symbol has a fresh value (or its market is closed: `closed`) and nothing was quarantined.
    case clean(closed: [Symbol])
    /// Some symbols have no value or only a stale one.
    case stale(symbols: [Symbol])
    /// A terminal following a shared store: no collector of the fleet is alive since this last
    /// heartbeat, so no price shown is live.
    case noCollector(since: Timestamp)
    /// Values were quarantined during the run.
    case quarantined(count: Int)
    /// Fresh and clean, but the sources quoting some symbols disagree.
    case disagree(symbols: [Symbol])
    /// Rows collected in the run could not be stored (the store's writes failed); the text says how many, why and where they are.
    case unstored(String)
    /// Fresh and clean, but stored history still lacks bars the market calendar expects
    /// (`series` as `AAPL 1Min`) after the backfill: a source failed or had nothing.
    case incompleteHistory(series: [String], missingBars: Int)
    /// Every quote fine, but the run ended (deadline or signal) before the start-up backfill
    /// fetched these many windows; the next run fetches them.
    case incomplete(windows: Int)

    package static let exitClean: Int32 = 0
    public static let exitRuntimeFailure: Int32 = 1
    package static let exitStale: Int32 = 2
    package static let exitQuarantined: Int32 = 3
    package static let exitDisagree: Int32 = 4
    public static let exitIncomplete: Int32 = 5
    public static let exitUsage: Int32 = 64
    public static let exitConfig: Int32 = 78

    /// The verdict on `snapshot`, on what the run had not got when it ended (`missing`: only its
    /// backfill windows matter here, symbols without a value are already stale), on `coverage`
    /// (the history judged by the backfill) and on the store writer's statistics the snapshot
    /// carries (`MarketSnapshot.store`, taken after its final flush).
    public init(_ snapshot: MarketSnapshot, missing: OnceMissing? = nil, coverage: [SeriesCoverage] = []) {
        if let writes = snapshot.store, let unstored = StoreWriteText.unstored(writes) {
            self = .unstored(unstored)
            return
        }
        if let since = snapshot.follow.flatMap({ $0.fleetAlive == false ? $0.noCollectorSince : nil }) {
            self = .noCollector(since: since)
            return
        }
        let holes = coverage.filter { !$0.isComplete }
        let stale = snapshot.symbols.filter { $0.quality == .noData || $0.quality == .stale }.map(\.symbol)
        let split = snapshot.symbols.filter { !$0.disagreeingSources.isEmpty }.map(\.symbol)
        if !stale.isEmpty {
            self = .stale(symbols: stale)
        } else if snapshot.quarantinedCount > 0 {
            self = .quarantined(count: snapshot.quarantinedCount)
        } else if !split.isEmpty {
            self = .disagree(symbols: split)
        } else if let missing, !missing.backfill.isEmpty {
            self = .incomplete(windows: missing.backfill.count)
        } else if !holes.isEmpty {
            self = .incompleteHistory(
                series: holes.map { "\($0.symbol) \($0.timeframe.rawValue)" },
                missingBars: holes.reduce(0) { $0 + $1.missingBars })
        } else {
            self = .clean(closed: snapshot.symbols.filter { $0.quality == .closed }.map(\.symbol))
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .clean: Self.exitClean
        case .stale, .noCollector: Self.exitStale
        case .quarantined: Self.exitQuarantined
        case .disagree: Self.exitDisagree
        case .unstored: Self.exitRuntimeFailure
        case .incompleteHistory: Self.exitIncomplete
        case .incomplete: Self.exitIncomplete
        }
    }

    package var summary: String {
        switch self {
        case .clean(let closed) where closed.isEmpty: "all symbols fresh and clean"
        case .clean(let closed):
            "all open markets fresh and clean; market closed for \(closed.map(\.rawValue).joined(separator: ", "))"
        case .stale(let symbols): "no fresh value for \(symbols.map(\.rawValue).joined(separator: ", "))"
        case .noCollector(let since): "no collector alive since \(since.clockText) UTC: the prices are the last stored, not live"
        case .quarantined(let count): "\(count) value\(count == 1 ? "" : "s") quarantined during the run"
        case .disagree(let symbols): "sources disagree for \(symbols.map(\.rawValue).joined(separator: ", "))"
        case .unstored(let text): text
        case .incompleteHistory(let series, let bars):
            "history incomplete: \(bars) expected bar\(bars == 1 ? "" : "s") missing for \(series.joined(separator: ", "))"
        case .incomplete(let windows):
            "all symbols fresh and clean; \(windows) backfill window\(windows == 1 ? "" : "s") not fetched yet"
        }
    }
}
