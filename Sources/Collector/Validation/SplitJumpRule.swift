import Foundation

/// A US-equity daily close that jumps from the previous accepted close by a
/// ratio near a split's (2, 3, 3/2, 4, 5, 8, 10, 20 or their inverses) and far
/// beyond the stock's normal daily moves, with no split event to explain it
/// (ticktop has no corporate-action feed, so none ever does). Normal moves are
/// the robust spread (1.4826 × MAD) of the window's day-over-day log returns,
/// at least 0.5%. Indices, FX and crypto do not split.
package struct SplitJumpRule: StreamValidationRule {
    package let name = "split-like"
    package var kinds: Set<MarketEvent.Kind> { [.bar] }
    package var family: RuleFamily { .statistical(shiftsLevel: true) }
    package var needs: ContextNeeds { .prices }
    /// How near a split ratio the day's ratio must be, as a fraction (0.05: within 5%).
    package var tolerance: Double
    /// How many normal daily moves the jump must span.
    package var minimumScore: Double

    /// Split ratios (new price / old price) and how they are described.
    package static let ratios: [(ratio: Double, label: String)] = [
        (1 / 2, "2-for-1 split"), (1 / 3, "3-for-1 split"), (2 / 3, "3-for-2 split"), (1 / 4, "4-for-1 split"),
        (1 / 5, "5-for-1 split"), (1 / 8, "8-for-1 split"), (1 / 10, "10-for-1 split"), (1 / 20, "20-for-1 split"),
        (2, "1-for-2 reverse split"), (3, "1-for-3 reverse split"), (3 / 2, "2-for-3 reverse split"),
        (4, "1-for-4 reverse split"), (5, "1-for-5 reverse split"), (8, "1-for-8 reverse split"),
        (10, "1-for-10 reverse split"), (20, "1-for-20 reverse split")
    ]
    /// The smallest normal daily move assumed, so a quiet history does not make every ratio suspicious.
    package static let minimumDailyMove = 0.005

    package init(tolerance: Double = 0.05, minimumScore: Double = 6) {
        self.tolerance = tolerance
        self.minimumScore = minimumScore
    }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.timeframe == .oneDay, context.facts.assetClass == .equity, case .bar(let bar) = event
        else { return nil }
        guard context.stream.window.count >= RollingWindow.minimumCount, let previous = context.stream.window.newest
        else { return nil }
        let ratio = bar.close / previous
        // The mildest split ratios are 3/2 and 2/3; most days are nowhere near.
        guard ratio > 1.5 / (1 + tolerance) || ratio < 2.0 / 3 * (1 + tolerance) else { return nil }
        let limit = log1p(tolerance)
        guard let split = Self.ratios.first(where: { abs(log(ratio / $0.ratio)) <= limit }) else { return nil }
        let dailyMove = max(PriceSpikeRule.madScale * context.stream.window.returns.mad(), Self.minimumDailyMove)
        let score = abs(log(ratio)) / dailyMove
        guard score >= minimumScore else { return nil }
        return anomaly(
            event, .error,
            [
                .init("close", bar.close), .init("previousClose", previous), .init("ratio", ratio),
                .init("splitRatio", split.ratio), .init("dailyMove", dailyMove)
            ],
            "close \(formatPrice(bar.close)) is \(formatRatio(ratio))x the previous close \(formatPrice(previous)), "
                + "like a \(split.label), with no split event (\(formatRatio(score)) times the normal daily move "
                + "of \(formatRatio(dailyMove * 100))%)",
            at: now)
    }
}
