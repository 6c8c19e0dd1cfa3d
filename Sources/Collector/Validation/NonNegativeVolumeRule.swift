/// Volumes and sizes may not be negative.
public struct NonNegativeVolumeRule: ValidationRule {
    public let name = "negative-volume"
    public init() {}

    /// Tests the facts read once by the validator; looks inside the value only when it may fire.
    @inline(__always)
    public func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.mayHaveNegativeAmount else { return nil }
        return check(event, previousTime: context.stream.previousTime, at: now)
    }

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
        case .quote(let q): q.hasNegativeAmount
        case .trade(let t): t.hasNegativeAmount
        case .bar(let b): b.hasNegativeAmount
        }
    }
}

extension Quote {
    var hasNegativeAmount: Bool { (bidSize ?? 0) < 0 || (askSize ?? 0) < 0 || (dayVolume ?? 0) < 0 }
}

extension Trade {
    var hasNegativeAmount: Bool { size < 0 }
}

extension Bar {
    var hasNegativeAmount: Bool { volume < 0 || (tradeCount ?? 0) < 0 }
}
