/// A quote whose bid is above its ask is crossed. A locked quote (bid == ask) passes.
public struct CrossedQuoteRule: ValidationRule {
    public let name = "crossed-quote"
    public var kinds: Set<MarketEvent.Kind> { [.quote] }
    public init() {}

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard case .quote(let q) = event, q.bid > q.ask else { return nil }
        return anomaly(
            event, .error, [Anomaly.Field("bid", q.bid), Anomaly.Field("ask", q.ask)],
            "crossed quote: bid \(formatValue(q.bid)) > ask \(formatValue(q.ask))", at: now)
    }
}
