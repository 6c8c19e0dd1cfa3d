/// What one change of `MarketState` (`apply`, `tick`, `setWatchlist`) produced that should be
/// stored and logged, handed back to the caller of that change (an `OutcomeRecorder` logs and
/// stores it) instead of waiting in the state for someone to collect.
package struct StateOutcome: Sendable {
    /// Disagreements between sources that began.
    package var anomalies: [Anomaly]
    /// Alerts raised, updated or cleared.
    package var alerts: [Alert]
    /// Source health transitions the change caused, in order.
    package var transitions: [HealthTransition]

    package init(anomalies: [Anomaly] = [], alerts: [Alert] = [], transitions: [HealthTransition] = []) {
        self.anomalies = anomalies
        self.alerts = alerts
        self.transitions = transitions
    }

    package var toStore: StoreBatch { StoreBatch(anomalies: anomalies, alerts: alerts, transitions: transitions) }
}
