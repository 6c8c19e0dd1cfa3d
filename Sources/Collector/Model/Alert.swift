/// A condition someone watching should know about, with when it was raised and
/// (once it is over) cleared. Alerts are kept after clearing so the screen can
/// show what happened.
public struct Alert: Sendable, Hashable, Codable, Identifiable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A symbol had no new value for longer than its threshold while its market was open.
        case symbolSilent = "symbol-silent"
        /// A source delivered nothing for longer than its threshold.
        case sourceSilent = "source-silent"
        /// A source is down, has its circuit open, or lacks its key.
        case sourceDown = "source-down"
        /// A symbol is shown from a less preferred source (open until it returns).
        case failover
        /// The sources quoting a symbol disagree beyond the tolerance.
        case sourcesDisagree = "sources-disagree"
    }

    public var kind: Kind
    public var severity: Anomaly.Severity
    /// The symbol or source the alert is about.
    public var subject: String
    public var message: String
    public var raisedAt: Timestamp
    public var clearedAt: Timestamp?

    /// One alert per kind and subject is open at a time.
    public var id: String { "\(kind.rawValue):\(subject)" }
    public var isOpen: Bool { clearedAt == nil }

    package init(kind: Kind, severity: Anomaly.Severity, subject: String, message: String, raisedAt: Timestamp) {
        self.kind = kind
        self.severity = severity
        self.subject = subject
        self.message = message
        self.raisedAt = raisedAt
    }
}
