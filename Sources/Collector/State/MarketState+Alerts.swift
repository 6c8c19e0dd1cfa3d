extension MarketState {
    /// The timer's work: re-selects sources for every watched symbol (a source
    /// may have gone stale without sending anything), then re-evaluates alerts.
    /// The outcome holds what to store: disagreements that began and alert changes
    /// (time alone moves no source's health, so it holds no transitions).
    package func tick() -> StateOutcome {
        let now = timeSource.now()
        let derived = reevaluate(watchlist, at: now)
        let alerts = alertChanges(at: now)
        if !derived.isEmpty || !alerts.isEmpty { advance() }
        return StateOutcome(anomalies: derived, alerts: alerts)
    }

    /// Raises and clears alerts for the current time (as `tick` does, without re-selecting).
    /// Returns true when anything changed (and a new generation was published).
    @discardableResult
    package func evaluateAlerts() -> Bool {
        let changed = !alertChanges(at: timeSource.now()).isEmpty
        if changed { advance() }
        return changed
    }

    /// Raises and clears freshness (see MarketState+Freshness), health, failover and
    /// disagreement alerts for `now` in the alert book; returns the alerts raised, updated or cleared.
    func alertChanges(at now: Timestamp) -> [Alert] {
        var wanted: [Alert] = []
        func want(_ kind: Alert.Kind, _ severity: Anomaly.Severity, _ subject: String, _ message: String) {
            wanted.append(Alert(kind: kind, severity: severity, subject: subject, message: message, raisedAt: now))
        }
        for symbol in watchlist {
            if let reason = selectionBook.failoverReasons[symbol] {
                want(.failover, .warning, symbol.rawValue, reason)
            }
            if let found = selectionBook.disagreements[symbol] {
                want(.sourcesDisagree, .warning, symbol.rawValue, SelectionBook.describe(found))
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
            case .streaming, .polling, .degraded, .starting, .disabled, .notCollected:
                break  // silence is a freshness alert (MarketState+Freshness); a gone fleet, the store banner
            }
            // A part that is unavailable while the rest serves: one alert per part, kept while it lasts.
            for part in entry.failingParts ?? [] where part.state.isUnavailable && !entry.state.isUnavailable {
                want(.sourceDown, .error, "\(id.label) \(part.name)", "\(id.label) \(part.clause)")
            }
        }
        return alertBook.evaluate(wanted: wanted, silences: silences(at: now), at: now)
    }
}
