import Foundation

/// One data-quality check. Rules are small pure values: given a value and what
/// the validator keeps about its stream and symbol (`ValidationContext`), they
/// return an anomaly or nil. Rolling state (windows, day ranges) is owned and
/// bounded by the `Validator`, never by a rule.
public protocol StreamValidationRule: Sendable {
    /// The rule's stable name, e.g. `price-spike`; stored with every anomaly it raises.
    var name: String { get }
    /// How its finding combines with other rules' on the same value (default `.independent`).
    var family: RuleFamily { get }
    /// What it reads from the context besides the previous time (default none).
    var needs: ContextNeeds { get }
    /// The kinds of value it judges (default all); the validator skips the others.
    var kinds: Set<MarketEvent.Kind> { get }
    func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly?
    /// `check`, appending its finding to `anomalies`; true when it found one. The validator calls
    /// this for every value: through the protocol an `Anomaly?` (about 200 bytes) was built and
    /// copied twice even when nil. Rules mark `check` `@inline(__always)` so that it is inlined
    /// here, and keep the default.
    func check(
        _ event: MarketEvent, in context: ValidationContext, at now: Timestamp, into anomalies: inout [Anomaly]
    ) -> Bool
}

/// A version 1 rule: it sees only the value and the time of the previous
/// accepted value of the same stream.
public protocol ValidationRule: StreamValidationRule {
    func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly?
}

extension StreamValidationRule {
    public var family: RuleFamily { .independent }
    public var needs: ContextNeeds { [] }
    public var kinds: Set<MarketEvent.Kind> { [.quote, .trade, .bar] }

    public func check(
        _ event: MarketEvent, in context: ValidationContext, at now: Timestamp, into anomalies: inout [Anomaly]
    ) -> Bool {
        guard let anomaly = check(event, in: context, at: now) else { return false }
        anomalies.append(anomaly)
        return true
    }

    func anomaly(
        _ event: MarketEvent, _ severity: Anomaly.Severity, _ fields: [Anomaly.Field], _ message: String,
        at now: Timestamp
    ) -> Anomaly {
        Anomaly(rule: name, severity: severity, fields: fields, message: message, detectedAt: now, subject: event)
    }
}

extension ValidationRule {
    @inline(__always)
    public func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        check(event, previousTime: context.stream.previousTime, at: now)
    }
}

/// Short, stable rendering of a price inside anomaly messages.
func formatValue(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+inf" : "-inf") }
    let magnitude = abs(value)
    let digits = magnitude >= 1000 ? 2 : magnitude >= 1 ? 4 : 6
    return value.formatted(.number.precision(.fractionLength(0...digits)).grouping(.never))
}

/// A price with a fixed number of decimals for messages that compare prices:
/// two for prices of 1 or more (`18942.00`, `189.42`), more below.
func formatPrice(_ value: Double) -> String {
    guard value.isFinite else { return formatValue(value) }
    let magnitude = abs(value)
    let digits = magnitude >= 1 ? 2 : magnitude >= 0.01 ? 4 : 6
    return String(format: "%.\(digits)f", value)
}

/// A ratio or score with one decimal (`100.0`), or enough significant digits when small (`0.0100`).
func formatRatio(_ value: Double) -> String {
    guard value.isFinite else { return formatValue(value) }
    return abs(value) >= 0.95 ? String(format: "%.1f", value) : String(format: "%.3g", value)
}

/// A log return as a percentage: `+12.3%`, `-0.05%`; unsigned for a spread (`0.10%`).
func formatPercent(_ logReturn: Double, signed: Bool = true) -> String {
    let percent = signed ? (exp(logReturn) - 1) * 100 : logReturn * 100
    let digits = abs(percent) >= 1 ? 1 : 2
    return String(format: signed ? "%+.\(digits)f%%" : "%.\(digits)f%%", percent)
}

/// A duration for messages: `45s`, `7m 12s`, `3h 05m`.
func formatLag(_ duration: Duration) -> String {
    let seconds = max(0, duration.nanosecondsValue / 1_000_000_000)
    switch seconds {
    case ..<60: return "\(seconds)s"
    case ..<3_600: return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m \(seconds % 60)s"
    default: return String(format: "%dh %02dm", seconds / 3_600, (seconds % 3_600) / 60)
    }
}
