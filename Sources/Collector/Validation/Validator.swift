/// Where a batch of values came from. Live values must move forward in time
/// per stream; history (backfill) is checked for order within its own series,
/// so a backfill that overlaps live data is not mistaken for time going backwards.
public enum IngestOrigin: String, Sendable, Hashable, Codable {
    case live
    case history
}

/// Runs every rule over incoming values and splits them into accepted values
/// and anomalies. A value that breaks a rule is quarantined: it comes back
/// inside its anomaly, never silently dropped. Owned by one task (the ingest
/// pipeline), so it is a plain value with no locking.
public struct Validator: Sendable {
    /// Identifies one stream of values whose times must increase.
    struct StreamKey: Hashable, Sendable {
        let symbol: Symbol
        let source: SourceID
        let kind: MarketEvent.Kind
        let timeframe: Timeframe?
        let origin: IngestOrigin
    }

    public struct Result: Sendable {
        public var accepted: [MarketEvent] = []
        public var anomalies: [Anomaly] = []
    }

    public let rules: [any ValidationRule]
    private var lastAccepted: [StreamKey: Timestamp] = [:]

    /// The version 1 rule set.
    public static let standardRules: [any ValidationRule] = [
        PositivePriceRule(), NonNegativeVolumeRule(), OHLCConsistencyRule(), CrossedQuoteRule(),
        TimestampOrderRule(),
    ]

    public init(rules: [any ValidationRule] = Validator.standardRules) {
        self.rules = rules
    }

    /// Validates `events` in order. Accepted values become the "previous" value
    /// of their stream; quarantined ones do not, so one bad time cannot poison the next.
    public mutating func validate(_ events: [MarketEvent], origin: IngestOrigin, at now: Timestamp) -> Result {
        var result = Result()
        result.accepted.reserveCapacity(events.count)
        for event in events {
            let key = StreamKey(
                symbol: event.symbol, source: event.source, kind: event.kind, timeframe: event.timeframe,
                origin: origin)
            let previousTime = lastAccepted[key]
            var quarantined = false
            for rule in rules {
                if let anomaly = rule.check(event, previousTime: previousTime, at: now) {
                    quarantined = quarantined || anomaly.quarantined
                    result.anomalies.append(anomaly)
                }
            }
            if !quarantined {
                result.accepted.append(event)
                lastAccepted[key] = event.time
            }
        }
        return result
    }

    /// Forgets the history series of `source`, so a new backfill starts fresh.
    public mutating func resetHistory(of source: SourceID) {
        lastAccepted = lastAccepted.filter { $0.key.origin != .history || $0.key.source != source }
    }
}

extension MarketEvent {
    /// The bar's timeframe; nil for quotes and trades.
    public var timeframe: Timeframe? {
        if case .bar(let b) = self { return b.timeframe }
        return nil
    }
}
