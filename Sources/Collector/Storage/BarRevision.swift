/// An earlier version of a stored bar: the values a provider sent first for a symbol, timeframe,
/// source and start, kept when it later sent other values for the same bar.
public struct BarRevision: Sendable, Hashable {
    /// The earlier version.
    public var bar: Bar
    /// When that version was stored; nil for bars stored before ticktop kept revisions.
    public var receivedAt: Timestamp?
    /// When a newer version replaced it.
    public var replacedAt: Timestamp

    package init(bar: Bar, receivedAt: Timestamp?, replacedAt: Timestamp) {
        self.bar = bar
        self.receivedAt = receivedAt
        self.replacedAt = replacedAt
    }
}
