/// How a terminal following a shared store stands (`ticktop --store postgres`): whether it reaches
/// the store, since when it does not, and whether the store holds anything. `MarketSnapshot.follow`
/// carries it; nil for a terminal that collects itself.
public struct StoreFollowStatus: Sendable, Hashable {
    /// Where the store is: its URL without the password.
    public var location: String
    /// When the store stopped answering (the follower retries with backoff meanwhile); nil while it answers.
    public var unreachableSince: Timestamp?
    /// Why it does not answer, in a few words, while it does not.
    public var problem: String?
    /// When the last catch-up read ended (at start and after each reconnect); nil before the first.
    public var caughtUpAt: Timestamp?
    /// When the last change announced by a collector was read; nil before the first.
    public var lastChangeAt: Timestamp?
    /// Whether the store held any quote, of any symbol, at the last catch-up; nil before the first.
    public var storeHasQuotes: Bool?
    /// Whether some collector of the fleet is alive (collectors' heartbeats in the store, read every
    /// `renew_every`); nil while the viewer cannot tell: before the registry is read, while the
    /// store does not answer, and while no collector ever joined the fleet.
    public var fleetAlive: Bool?
    /// The newest heartbeat seen, while no collector is alive: the prices shown are not live since.
    public var noCollectorSince: Timestamp?

    package init(location: String) {
        self.location = location
    }

    /// True once a catch-up read ended and the store answers.
    public var isFollowing: Bool { caughtUpAt != nil && unreachableSince == nil }
}
