/// What a source's live stream went through since start, for its health row.
public struct StreamCounters: Sendable, Hashable, Codable {
    /// Connections after the first (each one follows a drop, a stale stream or an error).
    public var reconnects: Int = 0
    /// Quotes replaced by a newer quote of their symbol before the core took them
    /// (the buffer's overflow policy: the latest quote wins).
    public var coalesced: Int = 0
    /// Values not delivered: late data for a symbol already unsubscribed. Trades and
    /// bars of subscribed symbols are never dropped.
    public var dropped: Int = 0
}
