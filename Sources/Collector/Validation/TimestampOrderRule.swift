/// Within one stream (same symbol, source, kind and, for bars, timeframe),
/// times must move forward: a time before the previous one goes backwards,
/// an equal one repeats. Reports rules `time-backwards` and `time-repeated`.
public struct TimestampOrderRule: ValidationRule {
    public let name = "time-order"
    public var family: RuleFamily { .sequence }
    public init() {}

    /// Tests the time read once by the validator; builds the report only when it fires.
    @inline(__always)
    public func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard let before = context.stream.previousTime, context.facts.time <= before else { return nil }
        return check(event, previousTime: before, at: now)
    }

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard let before = previousTime else { return nil }
        let time = event.time
        guard time <= before else { return nil }
        let fields = [
            Anomaly.Field("time", Double(time.nanoseconds) / 1e9),
            Anomaly.Field("previousTime", Double(before.nanoseconds) / 1e9)
        ]
        let label = event.kind == .bar ? "bar start" : "\(event.kind.rawValue) time"
        if time == before {
            return Anomaly(
                rule: "time-repeated", severity: .warning, fields: fields,
                message: "\(label) \(time.iso8601) repeats the previous one", detectedAt: now, subject: event)
        }
        return Anomaly(
            rule: "time-backwards", severity: .error, fields: fields,
            message: "\(label) \(time.iso8601) is before the previous \(before.iso8601)", detectedAt: now,
            subject: event)
    }
}
