/// A bar's high may not be below its low, and open and close must lie within [low, high].
public struct OHLCConsistencyRule: ValidationRule {
    public let name = "ohlc-inconsistent"
    public var kinds: Set<MarketEvent.Kind> { [.bar] }
    public init() {}

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard case .bar(let b) = event else { return nil }
        var problems: [String] = []
        if b.high < b.low { problems.append("high \(formatValue(b.high)) < low \(formatValue(b.low))") }
        if b.open < b.low || b.open > b.high { problems.append("open \(formatValue(b.open)) outside [low, high]") }
        if b.close < b.low || b.close > b.high { problems.append("close \(formatValue(b.close)) outside [low, high]") }
        guard !problems.isEmpty else { return nil }
        let fields = [
            Anomaly.Field("open", b.open), Anomaly.Field("high", b.high),
            Anomaly.Field("low", b.low), Anomaly.Field("close", b.close)
        ]
        return anomaly(event, .error, fields, problems.joined(separator: "; "), at: now)
    }
}
