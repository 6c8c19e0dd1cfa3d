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

    /// Raises and clears freshness, health, failover and disagreement alerts for the current time.
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
        let threshold = settings.staleAfter
        let thresholdText = threshold.ageText
        for symbol in watchlist {
            let session = MarketSession.current(for: symbol.assetClass, at: now)
            guard session.expectsData else { continue }
            let last = quotes[symbol]?.values.map(\.receivedAt).max()
            let silentSince = last ?? startedAt
            guard now - silentSince > threshold else { continue }
            let what = last == nil ? "no value yet" : "no new value for \((now - silentSince).ageText)"
            want(.symbolSilent, .warning, symbol.rawValue, "\(what) while its market is open (threshold \(thresholdText))")
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
            case .streaming, .polling, .degraded:
                let since = entry.lastSuccess ?? startedAt
                if now - since > threshold {
                    want(.sourceSilent, .warning, id.label, "\(id.label) delivered nothing for \((now - since).ageText)")
                }
            case .starting, .disabled:
                break
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
