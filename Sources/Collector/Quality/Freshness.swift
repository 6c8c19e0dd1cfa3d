/// What freshness means for one asset class at one instant: the market's
/// session and how old a value may be.
public struct Freshness: Sendable, Hashable {
    public var status: SessionStatus
    /// The age beyond which a value is stale; nil when the market expects no data.
    public var threshold: Duration?

    public init(status: SessionStatus, threshold: Duration?) {
        self.status = status
        self.threshold = threshold
    }

    /// Whether values are expected to keep arriving (freshness alerts apply).
    public var expectsData: Bool { threshold != nil }

    /// Whether a value this old is stale; never while the market expects no data.
    public func isStale(age: Duration) -> Bool {
        threshold.map { age > $0 } ?? false
    }
}
