/// What one change of `MarketState` (`apply`, `tick`, `setWatchlist`) produced that should be
/// stored and logged, handed back to the caller of that change (an `OutcomeRecorder` logs and
/// stores it) instead of waiting in the state for someone to collect.
public struct StateOutcome: Sendable {
    /// Disagreements between sources that began.
    public var anomalies: [Anomaly]
    /// Alerts raised, updated or cleared.
    public var alerts: [Alert]
    /// Source health transitions the change caused, in order.
    public var transitions: [HealthTransition]

    public init(anomalies: [Anomaly] = [], alerts: [Alert] = [], transitions: [HealthTransition] = []) {
        self.anomalies = anomalies
        self.alerts = alerts
        self.transitions = transitions
    }

    public var toStore: StoreBatch { StoreBatch(anomalies: anomalies, alerts: alerts, transitions: transitions) }
}
