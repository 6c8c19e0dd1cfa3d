/// What freshness means for one asset class at one instant: the market's
/// session and how old a value may be.
package struct Freshness: Sendable, Hashable {
    package var status: SessionStatus
    /// The age beyond which a value is stale; nil when the market expects no data.
    package var threshold: Duration?

    /// Whether values are expected to keep arriving (freshness alerts apply).
    package var expectsData: Bool { threshold != nil }

    /// Whether a value this old is stale; never while the market expects no data.
    package func isStale(age: Duration) -> Bool {
        threshold.map { age > $0 } ?? false
    }
}
