import DequeModule

/// Recent anomalies (newest first, bounded; all of them are stored), their counts, and when
/// each symbol last had a value quarantined. Pure value: `MarketState` owns one.
package struct AnomalyBook: Sendable {
    /// Anomalies kept in memory.
    package let limit: Int
    package private(set) var recent = Deque<Anomaly>()
    /// Every anomaly recorded, and those that quarantined a value (not bounded by `limit`).
    package private(set) var count = 0
    package private(set) var quarantinedCount = 0
    package private(set) var perSymbol: [Symbol: Int] = [:]
    package private(set) var lastQuarantine: [Symbol: Timestamp] = [:]

    package init(limit: Int) {
        self.limit = limit
    }

    package mutating func record(_ anomaly: Anomaly) {
        recent.prepend(anomaly)
        while recent.count > limit { recent.removeLast() }
        count += 1
        perSymbol[anomaly.symbol, default: 0] += 1
        if anomaly.quarantined {
            quarantinedCount += 1
            lastQuarantine[anomaly.symbol] = max(lastQuarantine[anomaly.symbol] ?? .zero, anomaly.detectedAt)
        }
    }

    /// Whether `symbol` had a value quarantined within `window` before `now`.
    package func isQuarantined(_ symbol: Symbol, within window: Duration, at now: Timestamp) -> Bool {
        guard let last = lastQuarantine[symbol] else { return false }
        return now - last <= window
    }
}
