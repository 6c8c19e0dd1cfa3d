import Logging
import PostgresNIO

/// The collector fleet in PostgreSQL: the registry with heartbeats (`fleet_collectors`), what
/// viewers ask for (`fleet_asks`) and one lease per symbol (`fleet_leases`: holder, fencing token,
/// expiry). `FleetCoordinator` runs a round every `renew_every`; terminals read `fleet(at:ttl:)`.
///
/// How claiming is made safe: each round is one transaction that first takes a transaction-scoped
/// advisory lock on the fleet, so the rounds of all collectors run one after another and each
/// plans (`LeasePlan`) from the members and leases the previous round left, and applies the whole
/// plan at once. An advisory lock rather than `SELECT ... FOR UPDATE SKIP LOCKED`: skipping locked
/// rows suits workers grabbing independent jobs, but a fair split with few moves needs every member
/// and lease in one picture; rounds are small and rare (one per collector every few seconds), so
/// running them one at a time costs nothing. Inside the round the lease rows are also locked
/// `FOR UPDATE` in symbol order, the order in which writes lock them `FOR SHARE` to check their
/// tokens (`LeaseFence`), so a lease never moves while a write under it is open and the two never
/// deadlock. The primary key on `symbol` makes one symbol held twice impossible.
///
/// Times are the calling collector's clock (heartbeats, expiries), so the fleet's hosts need
/// clocks in step to well under the TTL (NTP does that).
extension PostgresStore {
    /// What a round leaves this collector with.
    package struct FleetRound: Sendable {
        /// The leases it holds now, with their tokens.
        package var held: [Symbol: Int64]
        /// The registry after the round.
        package var fleet: FleetSnapshot
    }

    /// Registered collectors not heard from for this long are forgotten.
    static let fleetMemberRetention: Duration = .seconds(86_400)

    /// One round of `member` (its `heartbeatAt` is now): heartbeat and renew its leases, then split
    /// the wanted symbols between the live collectors (`LeasePlan`): dead collectors' leases are
    /// taken over, a new member gets its share. With `leaving`, the member is marked stopped and
    /// its leases go to the others at once (or are released when none is left): graceful drain.
    package func fleetRound(_ member: FleetMember, ttl: Duration, leaving: Bool = false) async throws(StoreError) -> FleetRound {
        let (logger, channel) = (logger, fleetChannel)
        let now = member.heartbeatAt
        let expires = (now + ttl).nanoseconds
        return try await inTransaction(.write) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('ticktop-fleet'))", logger: logger)
            if leaving {
                try await connection.query(
                    "UPDATE fleet_collectors SET stopped_at = \(now.nanoseconds) WHERE id = \(member.id)", logger: logger)
            } else {
                try await connection.query(
                    """
                    INSERT INTO fleet_collectors
                        (id, host, pid, version, started_at, heartbeat_at, stopped_at, sources, watchlist)
                    VALUES (
                        \(member.id), \(member.host), \(Int64(member.pid)), \(member.version),
                        \(member.startedAt.nanoseconds), \(now.nanoseconds), NULL,
                        \(member.sources.map(\.rawValue))::text[], \(member.watchlist.map(\.rawValue))::text[])
                    ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, version = excluded.version,
                        started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, stopped_at = NULL,
                        sources = excluded.sources, watchlist = excluded.watchlist
                    """, logger: logger)
                try await connection.query(
                    "UPDATE fleet_leases SET expires_at = \(expires) WHERE holder = \(member.id)", logger: logger)
            }
            try await connection.query(
                "DELETE FROM fleet_collectors WHERE heartbeat_at < \((now - Self.fleetMemberRetention).nanoseconds)",
                logger: logger)

            var members: Set<String> = []
            var wanted: Set<Symbol> = []
            for try await (id, watchlist) in try await connection.query(
                """
                SELECT id, watchlist FROM fleet_collectors
                WHERE stopped_at IS NULL AND heartbeat_at > \((now - ttl).nanoseconds)
                """, logger: logger
            ).decode((String, [String]).self) {
                members.insert(id)
                wanted.formUnion(watchlist.compactMap { try? Symbol($0) })
            }
            // A viewer renews its asks every renew_every: older than the TTL, it is gone.
            try await connection.query(
                "DELETE FROM fleet_asks WHERE asked_at <= \((now - ttl).nanoseconds)", logger: logger)
            for try await symbol in try await connection.query("SELECT DISTINCT symbol FROM fleet_asks", logger: logger)
                .decode(String.self)
            {
                if let symbol = try? Symbol(symbol) { wanted.insert(symbol) }
            }
            var holders: [Symbol: String?] = [:]
            var current: [Symbol: String] = [:]
            for try await (text, holder, expiresAt) in try await connection.query(
                "SELECT symbol, holder, expires_at FROM fleet_leases ORDER BY symbol FOR UPDATE", logger: logger
            ).decode((String, String?, Int64).self) {
                guard let symbol = try? Symbol(text) else { continue }
                holders[symbol] = holder
                if let holder, expiresAt > now.nanoseconds { current[symbol] = holder }
            }
            let plan = LeasePlan.assign(members: members, wanted: wanted, current: current)
            let released = holders.compactMap { symbol, holder in holder != nil && plan[symbol] == nil ? symbol : nil }.sorted()
            let moved = plan.filter { symbol, holder in holders[symbol] ?? nil != holder }.sorted { $0.key < $1.key }
            if !released.isEmpty {
                try await connection.query(
                    "UPDATE fleet_leases SET holder = NULL WHERE symbol = ANY(\(released.map(\.rawValue))::text[])",
                    logger: logger)
            }
            if !moved.isEmpty {
                // A new holder always gets a new token, from one sequence: tokens only ever grow.
                try await connection.query(
                    """
                    INSERT INTO fleet_leases (symbol, holder, token, expires_at)
                    SELECT symbol, holder, nextval('fleet_lease_tokens'), \(expires)
                    FROM unnest(\(moved.map(\.key.rawValue))::text[], \(moved.map(\.value))::text[]) AS moved(symbol, holder)
                    ORDER BY symbol
                    ON CONFLICT (symbol) DO UPDATE SET
                        holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at
                    """, logger: logger)
            }
            if !released.isEmpty || !moved.isEmpty {
                // Delivered at commit: the other collectors run their round now, not at their next renewal.
                try await connection.query("SELECT pg_notify(\(channel), \(member.id))", logger: logger)
            }
            var held: [Symbol: Int64] = [:]
            if !leaving {
                for try await (symbol, token) in try await connection.query(
                    "SELECT symbol, token FROM fleet_leases WHERE holder = \(member.id)", logger: logger
                ).decode((String, Int64).self) {
                    if let symbol = try? Symbol(symbol) { held[symbol] = token }
                }
            }
            var fleet = try await Self.readFleet(on: connection, at: now, ttl: ttl, logger: logger)
            fleet.own = member.id
            return FleetRound(held: held, fleet: fleet)
        }
    }

    /// The channel on which a round that moved leases tells the fleet (one per schema).
    var fleetChannel: String { "ticktop_fleet_" + (schema ?? "public") }

    /// Calls `changed` each time a round of any collector of the fleet moves leases (a join, a
    /// takeover, a hand-over on drain), over a connection of its own that LISTENs; returns when
    /// cancelled, throws when the connection fails.
    package func followFleetChanges(_ changed: @escaping @Sendable () -> Void) async throws {
        try await prepare()
        let channel = fleetChannel
        try await pooled { connection in
            try await connection.listen(on: channel) { notifications in
                for try await _ in notifications { changed() }
            }
        }
    }

    /// The registry as it stands: every collector heard from in the last day with the symbols it
    /// holds, and how many symbols the fleet wants (viewers' asks younger than `ttl` count). What a
    /// viewer's COLLECTORS panel reads.
    public func fleet(at now: Timestamp, ttl: Duration) async throws(StoreError) -> FleetSnapshot {
        let logger = logger
        return try await withConnection(.read) { connection in
            try await Self.readFleet(on: connection, at: now, ttl: ttl, logger: logger)
        }
    }

    /// A viewer (`viewer` names it, e.g. `host:pid`) asks the fleet to collect `symbols`, replacing
    /// what it asked before; the fleet's next round leases them to its collectors. An empty list
    /// withdraws the viewer's asks. An ask lasts one lease TTL from `now`: a viewer renews its asks
    /// every `renew_every` (`ViewerFleet`), so those of a viewer that is gone lapse, are no longer
    /// wanted, and the next round deletes them and releases their symbols.
    public func askFleet(for symbols: [Symbol], viewer: String, at now: Timestamp) async throws(StoreError) {
        let logger = logger
        try await inTransaction(.write) { connection in
            try await connection.query("DELETE FROM fleet_asks WHERE viewer = \(viewer)", logger: logger)
            guard !symbols.isEmpty else { return }
            try await connection.query(
                """
                INSERT INTO fleet_asks (viewer, symbol, asked_at)
                SELECT DISTINCT \(viewer), symbol, \(now.nanoseconds)
                FROM unnest(\(symbols.map(\.rawValue))::text[]) AS asked(symbol)
                """, logger: logger)
        }
    }

    /// Every lease row, by symbol (tests and diagnostics): holder (nil: released), token, expiry.
    package func fleetLeases() async throws(StoreError) -> [Symbol: (holder: String?, token: Int64, expiresAt: Timestamp)] {
        let rows = try await fetch("SELECT symbol, holder, token, expires_at FROM fleet_leases") { row in
            try row.decode((String, String?, Int64, Int64).self)
        }
        var leases: [Symbol: (holder: String?, token: Int64, expiresAt: Timestamp)] = [:]
        for (symbol, holder, token, expiresAt) in rows {
            leases[try Self.storedSymbol(symbol, location: location)] = (holder, token, Timestamp(nanoseconds: expiresAt))
        }
        return leases
    }

    private static func readFleet(on connection: PostgresConnection, at now: Timestamp, ttl: Duration, logger: Logger)
        async throws -> FleetSnapshot
    {
        var counts: [String: Int] = [:]
        for try await (holder, count) in try await connection.query(
            "SELECT holder, COUNT(*) FROM fleet_leases WHERE holder IS NOT NULL GROUP BY holder", logger: logger
        ).decode((String, Int64).self) {
            counts[holder] = Int(count)
        }
        var members: [FleetMember] = []
        var wanted: Set<String> = []
        for try await (id, host, pid, version, started, heartbeat, stopped, sources, watchlist) in try await connection.query(
            """
            SELECT id, host, pid, version, started_at, heartbeat_at, stopped_at, sources, watchlist
            FROM fleet_collectors ORDER BY id
            """, logger: logger
        ).decode((String, String, Int64, String, Int64, Int64, Int64?, [String], [String]).self) {
            let member = FleetMember(
                id: id, host: host, pid: Int(pid), version: version, startedAt: Timestamp(nanoseconds: started),
                heartbeatAt: Timestamp(nanoseconds: heartbeat), stoppedAt: stopped.map(Timestamp.init(nanoseconds:)),
                sources: sources.map { SourceID($0) }, watchlist: watchlist.compactMap { try? Symbol($0) },
                symbolCount: counts[id] ?? 0)
            if member.isAlive(at: now, ttl: ttl) { wanted.formUnion(watchlist) }
            members.append(member)
        }
        for try await symbol in try await connection.query(
            "SELECT DISTINCT symbol FROM fleet_asks WHERE asked_at > \((now - ttl).nanoseconds)", logger: logger
        ).decode(String.self) {
            wanted.insert(symbol)
        }
        return FleetSnapshot(members: members, leaseTTL: ttl, wanted: wanted.count, readAt: now)
    }
}
