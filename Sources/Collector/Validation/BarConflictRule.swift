import Foundation

/// A bar with the same start as the previous accepted bar of its stream but
/// different values: two versions of one bar, and no telling which is right.
/// An exact repeat is left to `time-repeated`.
package struct BarConflictRule: StreamValidationRule {
    package let name = "bar-conflict"
    package var kinds: Set<MarketEvent.Kind> { [.bar] }
    package var family: RuleFamily { .sequence }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.kind == .bar, context.facts.time == context.stream.previousTime,
            let before = context.stream.previousBar, case .bar(let bar) = event
        else { return nil }
        let pairs: [(String, Double, Double)] = [
            ("open", bar.open, before.open), ("high", bar.high, before.high), ("low", bar.low, before.low),
            ("close", bar.close, before.close), ("volume", bar.volume, before.volume)
        ]
        let changed = pairs.filter { $0.1 != $0.2 }
        guard !changed.isEmpty else { return nil }
        let fields = changed.flatMap { [Anomaly.Field($0.0, $0.1), Anomaly.Field("previous" + $0.0.capitalized, $0.2)] }
        let list = changed.map { "\($0.0) \(formatValue($0.1)) was \(formatValue($0.2))" }.joined(separator: ", ")
        return anomaly(
            event, .error, fields, "\(bar.timeframe.rawValue) bar \(bar.start.iso8601) arrived again with other values: \(list)",
            at: now)
    }
}
