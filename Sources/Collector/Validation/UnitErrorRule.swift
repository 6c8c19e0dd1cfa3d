import Foundation

/// A price about 100 times or 1/100 of its stream's rolling median: a unit
/// error (cents for dollars, or the reverse), reported as such rather than as
/// a spike. `tolerance` is how far from exactly 100 or 0.01 the ratio may be
/// (0.2: from 100/1.2 to 100×1.2), since the price moves too.
package struct UnitErrorRule: StreamValidationRule {
    package let name = "unit-error"
    /// Never a real move, so a run of them never restarts the window.
    package var family: RuleFamily { .statistical(shiftsLevel: false) }
    package var needs: ContextNeeds { .prices }
    package var tolerance: Double

    package static let factors: [Double] = [100, 0.01]

    package init(tolerance: Double = 0.2) {
        self.tolerance = tolerance
    }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.stream.window.count >= RollingWindow.minimumCount else { return nil }
        let value = context.facts.price
        let median = context.stream.window.median
        let ratio = value / median
        // Most values are nowhere near: skip the logarithms.
        guard ratio > 10 || ratio < 0.1 else { return nil }
        let limit = log1p(tolerance)
        guard let factor = Self.factors.first(where: { abs(log(ratio / $0)) <= limit }) else { return nil }
        let field = event.levelName
        return anomaly(
            event, .error, [.init(field, value), .init("median", median), .init("ratio", ratio), .init("factor", factor)],
            "\(field) \(formatPrice(value)) is \(formatRatio(ratio))x the rolling median \(formatPrice(median)): unit error",
            at: now)
    }
}
