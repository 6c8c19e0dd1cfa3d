extension MarketState {
    /// Most alerts kept; cleared ones go first when over.
    static let alertLimit = 200

    /// What a tick produced that should be stored.
    public struct TickOutcome: Sendable {
        /// Disagreements that began.
        public var anomalies: [Anomaly]
        /// Alerts raised, updated or cleared.
        public var alerts: [Alert]
        /// Source health transitions since the last tick, in order.
        public var transitions: [HealthTransition]
        public var toStore: StoreBatch { StoreBatch(anomalies: anomalies, alerts: alerts, transitions: transitions) }
    }

    /// The timer's work: re-selects sources for every watched symbol (a source
    /// may have gone stale without sending anything), then re-evaluates alerts.
    public func tick() -> TickOutcome {
        let derived = reevaluate(watchlist, at: timeSource.now())
        alertChanges = []
        let changed = evaluateAlerts()
        if !derived.isEmpty && !changed {
            generation &+= 1
            publish()
        }
        defer {
            alertChanges = []
            pendingTransitions = []
        }
        return TickOutcome(anomalies: derived, alerts: alertChanges, transitions: pendingTransitions)
    }

    /// Raises and clears freshness (see MarketState+Freshness), health, failover and disagreement
    /// alerts for the current time.
    /// Called on a timer (the alert monitor), so ages advance without new data.
    /// Returns true when anything changed (and a new generation was published).
    @discardableResult
    public func evaluateAlerts() -> Bool {
        let now = timeSource.now()
        var wanted: [String: Alert] = [:]
        func want(_ kind: Alert.Kind, _ severity: Anomaly.Severity, _ subject: String, _ message: String) {
            let alert = Alert(kind: kind, severity: severity, subject: subject, message: message, raisedAt: now)
            wanted[alert.id] = alert
        }
        let open = Dictionary(alerts.lazy.filter(\.isOpen).map { ($0.id, $0.raisedAt) }, uniquingKeysWith: max)
        for alert in freshnessAlerts(at: now, open: open) {
            wanted[alert.id] = alert
        }
        for symbol in watchlist {
            if let reason = failoverReasons[symbol] {
                want(.failover, .warning, symbol.rawValue, reason)
            }
            if let found = disagreements[symbol] {
                want(.sourcesDisagree, .warning, symbol.rawValue, Self.describe(found))
            }
        }
        for id in sourceOrder {
            guard let entry = health[id] else { continue }
            switch entry.state {
            case .down, .circuitOpen, .halfOpen, .formatChanged:
                want(.sourceDown, .error, id.label, "\(id.label) is \(entry.state.rawValue): \(entry.detail ?? "no detail")")
            case .rateLimited:
                want(.sourceDown, .warning, id.label, "\(id.label) is rate-limited: \(entry.detail ?? "waiting for its budget")")
            case .noKey:
                want(.sourceDown, .warning, id.label, "\(id.label) has no key: \(entry.detail ?? "set its key")")
            case .streaming, .polling, .degraded, .starting, .disabled:
                break  // silence is a freshness alert (MarketState+Freshness)
            }
            // A part that is unavailable while the rest serves: one alert per part, kept while it lasts.
            for part in entry.failingParts ?? [] where part.state.isUnavailable && !entry.state.isUnavailable {
                want(.sourceDown, .error, "\(id.label) \(part.name)", "\(id.label) \(part.clause)")
            }
        }
        var changed = false
        for index in alerts.indices where alerts[index].isOpen {
            if let update = wanted.removeValue(forKey: alerts[index].id) {
                if alerts[index].message != update.message {
                    alerts[index].message = update.message
                    alertChanges.append(alerts[index])
                    changed = true
                }
            } else {
                recoveringSince[alerts[index].id] = nil
                alerts[index].clearedAt = now
                alertChanges.append(alerts[index])
                changed = true
            }
        }
        let raised = wanted.values.sorted { ($0.kind.rawValue, $0.subject) < ($1.kind.rawValue, $1.subject) }
        if !raised.isEmpty {
            alerts.insert(contentsOf: raised, at: 0)
            alertChanges += raised
            changed = true
        }
        while alerts.count > Self.alertLimit, let index = alerts.lastIndex(where: { !$0.isOpen }) {
            alerts.remove(at: index)
        }
        if changed {
            generation &+= 1
            publish()
        }
        return changed
    }
}
