import Foundation

/// A price that moves from its stream's last accepted price far more than the
/// stream's recent moves do, by a robust score over the rolling window:
/// `|r - median(r)| / (1.4826 × MAD(r) × √gap)`, where `r` is the log return
/// from the last accepted price, median and MAD are those of the window's
/// returns between consecutive accepted prices (1.4826 × MAD estimates the
/// standard deviation without letting outliers inflate it), and `gap` is the
/// time since the last accepted price in units of the window's mean spacing
/// (at least 1, at most 100): a random walk's moves grow with the square root
/// of time, so an overnight gap may move more than a minute, up to ten times. The MAD is floored at
/// `minimumMAD` (a fraction, 0.001 = 10 bps), so a flat series does not flag
/// every tick. A stream is judged once its window is full (`capacity`
/// accepted prices). A spike is quarantined and stays out of the window; its
/// good neighbours pass.
///
/// Returns rather than price levels: prices wander like random walks, so over
/// a 50-value window a calm trend or the market's open would look like
/// outliers against the levels' own median and MAD.
package struct PriceSpikeRule: StreamValidationRule {
    package let name = "price-spike"
    package var family: RuleFamily { .statistical(shiftsLevel: true) }
    package var needs: ContextNeeds { .prices }
    /// Robust score above which a price is a spike.
    package var threshold: Double
    /// Floor on the MAD of the returns (a fraction of the price).
    package var minimumMAD: Double

    /// Scales a MAD to a standard deviation for normal data.
    package static let madScale = 1.4826
    /// The longest gap counted, in mean spacings: the allowed move widens at most
    /// tenfold (√100), so a spike right after a night or a stall is still caught.
    package static let maximumGap = 100.0

    package init(threshold: Double = 8, minimumMAD: Double = 0.001) {
        self.threshold = threshold
        self.minimumMAD = minimumMAD
    }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        // A MAD of fewer moves is too noisy for a threshold this far out; a level shift keeps the moves.
        guard context.stream.window.returns.count == context.stream.window.returns.capacity,
            let previous = context.stream.window.newest
        else { return nil }
        let value = context.facts.price
        guard value > 0, value.isFinite else { return nil }
        let move = log(value / previous)
        let typical = context.stream.window.returns.median
        let deviation = abs(move - typical)
        let widening = Self.widening(at: context.facts.time, after: context.stream.window)
        // Cheap test first: with the MAD at its floor the score is as high as it can be.
        guard deviation > threshold * Self.madScale * minimumMAD * widening else { return nil }
        let mad = max(context.stream.window.returns.mad(), minimumMAD)
        let score = deviation / (Self.madScale * mad * widening)
        guard score > threshold else { return nil }
        let field = event.levelName
        return anomaly(
            event, .error,
            [
                .init(field, value), .init("previous", previous), .init("median", context.stream.window.median),
                .init("move", move), .init("mad", mad), .init("score", score)
            ],
            "\(field) \(formatPrice(value)) moved \(formatPercent(move)) from the last accepted \(formatPrice(previous)): "
                + "\(formatRatio(score)) robust deviations of the stream's recent moves (median \(formatPercent(typical)), "
                + "MAD \(formatPercent(mad, signed: false))\(widening > 1 ? " x\(formatRatio(widening)) for the gap" : ""), "
                + "limit \(formatRatio(threshold))): spike",
            at: now)
    }

    /// `√(time since the last accepted price / mean spacing)`, between 1 and `√maximumGap`.
    static func widening(at time: Timestamp, after window: RollingWindow) -> Double {
        guard let last = window.newestTime, let spacing = window.meanSpacingNanoseconds else { return 1 }
        let gap = Double(time.nanoseconds &- last.nanoseconds) / Double(spacing)
        return gap <= 1 ? 1 : min(gap, maximumGap).squareRoot()
    }
}
