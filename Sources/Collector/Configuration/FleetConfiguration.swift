/// The `[fleet]` table: how collectors sharing a PostgreSQL store split the wanted symbols by
/// leases (`ticktop collect`; see `FleetCoordinator`).
public struct FleetConfiguration: Sendable, Equatable {
    /// A collector whose heartbeat is older than this is dead, and its symbols are taken over.
    public var leaseTTL: Duration
    /// How often a collector heartbeats, renews its leases and rebalances; a third of the TTL
    /// when unset. A dead collector's symbols move within `leaseTTL + renewInterval`.
    public var renewEvery: Duration?

    package init(leaseTTL: Duration = .seconds(15), renewEvery: Duration? = nil) {
        self.leaseTTL = leaseTTL
        self.renewEvery = renewEvery
    }

    /// `renew_every`, or a third of `lease_ttl`.
    public var renewInterval: Duration { renewEvery ?? leaseTTL / 3 }

    /// How long no collector of the fleet may heartbeat, as a collector whose own rounds failed
    /// meanwhile sees it, before the silence counts as the store's outage rather than the pace of
    /// the rounds: one renewal and a half (every live collector heartbeats each renewal). The
    /// leases running when such a silence began then run a full `lease_ttl` from its end
    /// (`PostgresStore.fleetRound`).
    package var silenceAfter: Duration { renewInterval * 3 / 2 }

    /// `lease_ttl = "15s"`, `renew_every` a third of it.
    package static let defaults = FleetConfiguration()
}
