/// An immutable picture of the live state, numbered by generation. Snapshots
/// are what the UI and `--once` read; they never reach into the actor.
public struct MarketSnapshot: Sendable {
    /// Increases by one with every change applied to the state.
    public var generation: UInt64
    /// When the snapshot was taken; ages and staleness are measured at this time.
    public var takenAt: Timestamp
    /// `general.stale_after`, the fallback threshold; each symbol carries the one that applies to it.
    public var staleAfter: Duration
    /// One entry per watched symbol, in watchlist order.
    public var symbols: [SymbolSnapshot]
    /// One entry per configured source, in priority order.
    public var sources: [SourceHealth]
    /// Freshness and health alerts, newest first: open ones and recently cleared ones.
    public var alerts: [Alert]
    /// Alerts stored by earlier runs, newest first. One without `clearedAt` was
    /// still open when that run stopped.
    public var earlierAlerts: [Alert]
    /// The most recent anomalies, newest first (bounded).
    public var recentAnomalies: [Anomaly]
    /// Anomalies recorded since start, including those no longer in `recentAnomalies`.
    public var anomalyCount: Int
    /// Values quarantined since start.
    public var quarantinedCount: Int
    /// How the store's writes stand (backlog, last write, failure), attached by
    /// `CollectorRuntime.snapshot()`; nil in a snapshot taken from the state alone.
    public var store: StoreWriterStatistics?
    /// How a terminal following a shared store reaches it (`StoreViewer.snapshot()`); nil in a
    /// terminal that collects itself.
    public var follow: StoreFollowStatus?
    /// The collector fleet on a shared PostgreSQL store (the COLLECTORS panel), attached by
    /// `CollectorRuntime.snapshot()` in a fleet; nil otherwise.
    public var fleet: FleetSnapshot?

    public func symbol(_ symbol: Symbol) -> SymbolSnapshot? {
        symbols.first { $0.symbol == symbol }
    }

    public var openAlerts: [Alert] { alerts.filter(\.isOpen) }

    /// True when every watched symbol has a value.
    package var everySymbolHasValue: Bool { symbols.allSatisfy { $0.selected != nil } }
}
