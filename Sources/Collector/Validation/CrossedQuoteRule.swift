/// A quote whose bid is above its ask is crossed. A locked quote (bid == ask) passes, and so
/// does a quote without both sides (a last trade only): there is nothing to cross.
public struct CrossedQuoteRule: ValidationRule {
    public let name = "crossed-quote"
    public var kinds: Set<MarketEvent.Kind> { [.quote] }
    public init() {}

    /// Tests the facts read once by the validator; looks inside the value only when it may fire.
    @inline(__always)
    public func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.mayBeCrossed else { return nil }
        return check(event, previousTime: context.stream.previousTime, at: now)
    }

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard case .quote(let q) = event, q.isCrossed, let bid = q.bid, let ask = q.ask else { return nil }
        return anomaly(
            event, .error, [Anomaly.Field("bid", bid), Anomaly.Field("ask", ask)],
            "crossed quote: bid \(formatValue(bid)) > ask \(formatValue(ask))", at: now)
    }
}

extension Quote {
    /// Both sides present and the bid above the ask.
    var isCrossed: Bool {
        guard let bid, let ask else { return false }
        return bid > ask
    }
}
