/// The fleet as last read from the store: what the COLLECTORS panel shows.
public struct FleetSnapshot: Sendable, Hashable {
    /// Every registered collector (the dead and the stopped too, for a day), by id.
    public var members: [FleetMember]
    /// A member whose heartbeat is older than this is dead.
    public var leaseTTL: Duration
    /// The symbols the fleet wants (watchlists of live collectors and viewers' asks).
    public var wanted: Int
    /// When the registry was read.
    public var readAt: Timestamp
    /// This process's member id, when it is a collector of the fleet.
    public var own: String?

    package init(members: [FleetMember], leaseTTL: Duration, wanted: Int, readAt: Timestamp, own: String? = nil) {
        self.members = members
        self.leaseTTL = leaseTTL
        self.wanted = wanted
        self.readAt = readAt
        self.own = own
    }

    /// The members alive at `now`.
    public func alive(at now: Timestamp) -> [FleetMember] { members.filter { $0.isAlive(at: now, ttl: leaseTTL) } }
}
