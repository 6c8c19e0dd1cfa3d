/// A quote whose bid is above its ask is crossed. A locked quote (bid == ask) passes, and so
/// does a quote without both sides (a last trade only): there is nothing to cross.
public struct CrossedQuoteRule: ValidationRule {
    public let name = "crossed-quote"
    public var kinds: Set<MarketEvent.Kind> { [.quote] }
    public init() {}

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard case .quote(let q) = event, let bid = q.bid, let ask = q.ask, bid > ask else { return nil }
        return anomaly(
            event, .error, [Anomaly.Field("bid", bid), Anomaly.Field("ask", ask)],
            "crossed quote: bid \(formatValue(bid)) > ask \(formatValue(ask))", at: now)
    }
}
