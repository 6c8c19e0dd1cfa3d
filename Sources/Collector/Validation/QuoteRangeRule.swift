/// A quote whose mid lies far outside its symbol's day range: more than
/// `tolerance` (a fraction) above the high or below the low of today's
/// accepted quotes and bars joined with the previous trading day's (see
/// `DayRange`). With no range yet (the first quotes ever), it passes.
public struct QuoteRangeRule: StreamValidationRule {
    public let name = "quote-outside-range"
    public var kinds: Set<MarketEvent.Kind> { [.quote] }
    public var family: RuleFamily { .statistical(shiftsLevel: true) }
    public var needs: ContextNeeds { .dayRange }
    public var tolerance: Double

    public init(tolerance: Double = 0.2) {
        self.tolerance = tolerance
    }

    public func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.kind == .quote, let range = context.dayRange.reference(for: DayRange.tradingDay(of: context.facts))
        else { return nil }
        let mid = context.facts.price
        let above = mid > range.high * (1 + tolerance)
        guard above || mid < range.low / (1 + tolerance) else { return nil }
        let beyond = above ? mid / range.high - 1 : 1 - mid / range.low
        let edge = above ? "high \(formatPrice(range.high))" : "low \(formatPrice(range.low))"
        return anomaly(
            event, .error, [.init("mid", mid), .init("dayLow", range.low), .init("dayHigh", range.high)],
            "mid \(formatPrice(mid)) is \(formatRatio(beyond * 100))% \(above ? "above" : "below") the day's \(edge) "
                + "(range \(formatPrice(range.low))-\(formatPrice(range.high)), today and the previous day)",
            at: now)
    }
}
