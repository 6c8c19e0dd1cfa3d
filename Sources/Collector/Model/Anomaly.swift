/// A data-quality finding about one value. The value itself travels with the
/// anomaly (`subject`): a quarantined value is kept, stored and shown, never dropped.
public struct Anomaly: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        case info, warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One offending field and its value, e.g. `high = 99.5`.
    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var value: Double
        package init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// Which rule fired, e.g. `crossed-quote`.
    public var rule: String
    public var severity: Severity
    public var symbol: Symbol
    public var source: SourceID
    /// The values that broke the rule.
    public var fields: [Field]
    /// A one-line human explanation.
    public var message: String
    /// When the validator saw it.
    public var detectedAt: Timestamp
    /// Whether the value was held back from live state (quarantined).
    public var quarantined: Bool
    /// The offending value itself.
    public var subject: MarketEvent

    package init(
        rule: String, severity: Severity, fields: [Field], message: String,
        detectedAt: Timestamp, quarantined: Bool = true, subject: MarketEvent
    ) {
        self.rule = rule
        self.severity = severity
        self.symbol = subject.symbol
        self.source = subject.source
        self.fields = fields
        self.message = message
        self.detectedAt = detectedAt
        self.quarantined = quarantined
        self.subject = subject
    }
}
