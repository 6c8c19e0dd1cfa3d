/// A bar that starts after the previous accepted bar of its stream but before
/// that bar ends, e.g. a 1Min bar at 10:00:30 after the one at 10:00:00.
/// Daily and longer bars end loosely (daylight saving moves a New York
/// midnight by an hour; months differ), so they overlap only when closer than
/// 20 hours, 5 days (weeks) or 25 days (months).
package struct BarOverlapRule: StreamValidationRule {
    package let name = "bar-overlap"
    package var kinds: Set<MarketEvent.Kind> { [.bar] }
    package var family: RuleFamily { .sequence }

    /// The least distance between the starts of consecutive bars.
    package static func spacing(of timeframe: Timeframe) -> Duration {
        switch timeframe {
        case .oneDay: .seconds(20 * 3_600)
        case .oneWeek: .seconds(5 * 86_400)
        case .oneMonth: .seconds(25 * 86_400)
        default: timeframe.nominalDuration
        }
    }

    @inline(__always)
    package func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        let start = context.facts.time
        guard let timeframe = context.facts.timeframe, let previous = context.stream.previousTime, start > previous
        else { return nil }
        let end = previous + Self.spacing(of: timeframe)
        guard start < end, case .bar(let bar) = event else { return nil }
        return anomaly(
            event, .error,
            [
                .init("start", bar.start.secondsSinceEpoch), .init("previousStart", previous.secondsSinceEpoch),
                .init("previousEnd", end.secondsSinceEpoch)
            ],
            "\(bar.timeframe.rawValue) bar starts \(bar.start.iso8601), \(formatLag(bar.start - previous)) after the "
                + "previous bar's start \(previous.iso8601), before that bar ends",
            at: now)
    }
}
