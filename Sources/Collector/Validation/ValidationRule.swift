/// One data-quality check. Rules are small pure values: given a value and the
/// time of the previous accepted value of the same stream, they return an anomaly or nil.
public protocol ValidationRule: Sendable {
    /// The rule's stable name, e.g. `crossed-quote`; stored with every anomaly.
    var name: String { get }
    func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly?
}

extension ValidationRule {
    func anomaly(
        _ event: MarketEvent, _ severity: Anomaly.Severity, _ fields: [Anomaly.Field], _ message: String,
        at now: Timestamp
    ) -> Anomaly {
        Anomaly(rule: name, severity: severity, fields: fields, message: message, detectedAt: now, subject: event)
    }
}

/// Short, stable rendering of a price inside anomaly messages.
func formatValue(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+inf" : "-inf") }
    let magnitude = abs(value)
    let digits = magnitude >= 1000 ? 2 : magnitude >= 1 ? 4 : 6
    return value.formatted(.number.precision(.fractionLength(0...digits)).grouping(.never))
}
