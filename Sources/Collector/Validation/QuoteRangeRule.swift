/// A quote whose mid (its last trade when it has no book) lies far outside its symbol's day range: more than
/// `tolerance` (a fraction) above the high or below the low of today's
/// accepted quotes and daily bars joined with the previous trading day's (see
/// `DayRange`). Before any range is known (a symbol's first quotes), the
/// quote's own previous close stands in for it; with neither, it passes.
package struct QuoteRangeRule: StreamValidationRule {
    package let name = "quote-outside-range"
    package var family: RuleFamily { .statistical(shiftsLevel: true) }
    package var needs: ContextNeeds { .dayRange }
    package var kinds: Set<MarketEvent.Kind> { [.quote] }
    package var tolerance: Double

    package init(tolerance: Double = 0.2) {
        self.tolerance = tolerance
    }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.kind == .quote else { return nil }
        let mid = context.facts.price
        if let range = context.dayRange.reference(for: DayRange.tradingDay(of: context.facts)) {
            guard let (beyond, edge) = outside(mid, low: range.low, high: range.high) else { return nil }
            let name = event.levelName  // read only when it fires: reading the value copies it
            return anomaly(
                event, .error, [.init(name, mid), .init("dayLow", range.low), .init("dayHigh", range.high)],
                "\(name) \(formatPrice(mid)) is \(beyond) the day's \(edge) (range \(formatPrice(range.low))-"
                    + "\(formatPrice(range.high)), today and the previous day)",
                at: now)
        }
        guard case .quote(let quote) = event, let close = quote.previousClose, close > 0,
            let (beyond, _) = outside(mid, low: close, high: close)
        else { return nil }
        let name = quote.levelName
        return anomaly(
            event, .error, [.init(name, mid), .init("previousClose", close)],
            "\(name) \(formatPrice(mid)) is \(beyond) the previous close \(formatPrice(close)) (no day range yet)", at: now)
    }

    /// How far beyond `low...high` the mid lies (`"25.0% above"`) and which edge it passed, or nil within tolerance.
    private func outside(_ mid: Double, low: Double, high: Double) -> (String, String)? {
        if mid > high * (1 + tolerance) {
            return ("\(formatRatio((mid / high - 1) * 100))% above", "high \(formatPrice(high))")
        }
        if mid < low / (1 + tolerance) {
            return ("\(formatRatio((1 - mid / low) * 100))% below", "low \(formatPrice(low))")
        }
        return nil
    }
}
