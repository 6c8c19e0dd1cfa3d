/// Volumes and sizes may not be negative.
public struct NonNegativeVolumeRule: ValidationRule {
    public let name = "negative-volume"
    public init() {}

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard event.hasNegativeAmount else { return nil }
        let amounts: [(String, Double)] =
            switch event {
            case .quote(let q):
                [("bidSize", q.bidSize), ("askSize", q.askSize), ("dayVolume", q.dayVolume)].compactMap { name, value in
                    value.map { (name, $0) }
                }
            case .trade(let t): [("size", t.size)]
            case .bar(let b): [("volume", b.volume)] + (b.tradeCount.map { [("tradeCount", Double($0))] } ?? [])
            }
        let negative = amounts.filter { $0.1 < 0 }
        guard !negative.isEmpty else { return nil }
        let list = negative.map { "\($0.0) \(formatValue($0.1))" }.joined(separator: ", ")
        return anomaly(event, .error, negative.map { Anomaly.Field($0.0, $0.1) }, "negative \(list)", at: now)
    }
}

extension MarketEvent {
    /// Allocation-free check used before building the detailed report.
    var hasNegativeAmount: Bool {
        switch self {
        case .quote(let q): (q.bidSize ?? 0) < 0 || (q.askSize ?? 0) < 0 || (q.dayVolume ?? 0) < 0
        case .trade(let t): t.size < 0
        case .bar(let b): b.volume < 0 || (b.tradeCount ?? 0) < 0
        }
    }
}
