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
/// running them one at a time costs nothing. Every transaction that changes lease rows first locks
/// them `FOR UPDATE` in symbol order (the round all of them, a hand-over its own), the order in
/// which writes lock theirs `FOR SHARE` to check their tokens (`LeaseFence`), so a lease never
/// moves while a write under it is open and the two never deadlock. The primary key on `symbol`
/// makes one symbol held twice impossible.
///
/// Hand-overs are two-step when the holder is alive: a rebalance (a collector joined) does not
/// take a symbol from its live holder, which may have rows for it on the way to the store (they
/// would be fenced), but names the new holder as the lease's `successor`; the holder's next round
/// (at once: the fleet is notified) stops collecting the symbol, writes what it holds, and hands
/// the lease to its successor (`fleetHandOver`). A holder that has not done so within a lease TTL
/// loses the symbol as a dead one does. A draining collector (`draining`: shutting down) keeps its
/// symbols and is given none; it hands them over when it leaves, after its writer has flushed.
///
/// Times are the calling collector's clock (heartbeats, expiries), so the fleet's hosts need
/// clocks in step to well under the TTL (NTP does that).
extension PostgresStore {
    /// What a round leaves this collector with.
    package struct FleetRound: Sendable {
        /// The leases it holds now, with their tokens.
        package var held: [Symbol: Int64]
        /// Those of `held` the fleet moves to another collector: to write what is held for them,
        /// then hand them over (`fleetHandOver`).
        package var giving: Set<Symbol> = []
        /// The registry after the round.
        package var fleet: FleetSnapshot
        /// Every symbol the fleet leases after the round, to this collector or another.
        package var leased: Set<Symbol> = []
    }

    /// Registered collectors not heard from for this long are forgotten.
    static let fleetMemberRetention: Duration = .seconds(86_400)

    /// One round of `member` (its `heartbeatAt` is now): heartbeat and renew its leases, then split
    /// the wanted symbols between the live collectors (`LeasePlan`): dead collectors' leases are
    /// taken over, a new member gets its share (two-step: named as successor while the holder is
    /// alive). With `draining`, the member keeps its leases but is given no new ones (shutting
    /// down). With `leaving`, the member is marked stopped and its leases go to the others at once
    /// (or are released when none is left): graceful drain, after the writer flushed.
    ///
    /// `silenceAfter`: how long no collector may have heartbeated for the silence to count as the
    /// store's outage, after which every lease still running when the silence began runs a full
    /// `ttl` from its end (see `silenceSince`); by default `ttl` (a silence longer than a lease:
    /// every collector stalled), shorter when this member's own rounds failed (it was cut off).
    package func fleetRound(
        _ member: FleetMember, ttl: Duration, silenceAfter: Duration? = nil, draining: Bool = false, leaving: Bool = false
    ) async throws(StoreError) -> FleetRound {
        let (logger, channel, lock) = (logger, fleetChannel, fleetLock)
        let now = member.heartbeatAt
        let expires = (now + ttl).nanoseconds
        let silence = silenceAfter ?? ttl
        return try await inTransaction(.write) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock)))", logger: logger)
            let silentSince =
                leaving
                ? nil : try await Self.silenceSince(of: member.id, at: now, after: silence, on: connection, logger: logger)
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
                        sources = excluded.sources, watchlist = excluded.watchlist,
                        draining_at = CASE WHEN \(draining) THEN COALESCE(fleet_collectors.draining_at, \(now.nanoseconds)) END
                    """, logger: logger)
            }
            // Every lease row, locked in symbol order before any is changed, as writes lock theirs to
            // check their tokens: the statements below (forgiveness, renewal, moves) find them locked
            // already. An UPDATE locks rows in the order it finds them on disk, which moves scatter: a
            // renewal locking its rows that way crossed a write and PostgreSQL ended one ("deadlock
            // detected").
            try await connection.query("SELECT symbol FROM fleet_leases ORDER BY symbol FOR UPDATE", logger: logger)
            if let silentSince {
                // The silence was no collector's death: every lease running when it began, of a holder
                // alive then (its heartbeat younger than a TTL: a collector dead before it is not kept
                // from one silence to the next), runs a full TTL from now, the silence's end, and so
                // does the hand-over asked of it.
                try await connection.query(
                    """
                    UPDATE fleet_leases SET expires_at = GREATEST(expires_at, \(expires)),
                        handover_at = CASE WHEN successor IS NULL THEN NULL ELSE \(now.nanoseconds) END
                    WHERE expires_at > \(silentSince) AND holder IN (
                        SELECT id FROM fleet_collectors
                        WHERE stopped_at IS NULL AND heartbeat_at > \(silentSince - ttl.nanosecondsValue))
                    """, logger: logger)
            }
            if !leaving {
                try await connection.query(
                    "UPDATE fleet_leases SET expires_at = \(expires) WHERE holder = \(member.id)", logger: logger)
            }
            try await connection.query(
                "DELETE FROM fleet_collectors WHERE heartbeat_at < \((now - Self.fleetMemberRetention).nanoseconds)",
                logger: logger)

            var members: Set<String> = []
            var drainingMembers: Set<String> = []
            var wanted: Set<Symbol> = []
            for try await (id, watchlist, drainingAt) in try await connection.query(
                """
                SELECT id, watchlist, draining_at FROM fleet_collectors
                WHERE stopped_at IS NULL AND (heartbeat_at > \((now - ttl).nanoseconds)
                    OR id IN (SELECT holder FROM fleet_leases WHERE expires_at > \(now.nanoseconds)))
                """, logger: logger
            ).decode((String, [String], Int64?).self) {
                if drainingAt == nil { members.insert(id) } else { drainingMembers.insert(id) }
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
            var successors: [Symbol: (successor: String, since: Int64)] = [:]
            for try await (text, holder, expiresAt, successor, handoverAt) in try await connection.query(
                """
                SELECT symbol, holder, expires_at, successor, handover_at FROM fleet_leases ORDER BY symbol
                """, logger: logger
            ).decode((String, String?, Int64, String?, Int64?).self) {
                guard let symbol = try? Symbol(text) else { continue }
                holders[symbol] = holder
                if let holder, expiresAt > now.nanoseconds { current[symbol] = holder }
                if let successor, let handoverAt { successors[symbol] = (successor, handoverAt) }
            }
            let plan = LeasePlan.assign(members: members, wanted: wanted, current: current, draining: drainingMembers)
            let released = holders.compactMap { symbol, holder in holder != nil && plan[symbol] == nil ? symbol : nil }.sorted()
            // A live holder gives a symbol up itself (two-step), unless it has not for a lease TTL.
            var handOvers: [(symbol: Symbol, successor: String)] = []
            var moved: [(symbol: Symbol, holder: String)] = []
            for (symbol, holder) in plan.sorted(by: { $0.key < $1.key }) where holders[symbol] ?? nil != holder {
                let fromLiveHolder = current[symbol].map(members.contains) ?? false
                let overdue = successors[symbol].map { $0.since <= (now - ttl).nanoseconds } ?? false
                if fromLiveHolder && !overdue { handOvers.append((symbol, holder)) } else { moved.append((symbol, holder)) }
            }
            let asked = handOvers.filter { successors[$0.symbol]?.successor != $0.successor }
            try await connection.query(
                """
                UPDATE fleet_leases SET successor = NULL, handover_at = NULL
                WHERE successor IS NOT NULL AND NOT (symbol = ANY(\(handOvers.map { $0.symbol.rawValue })::text[]))
                """, logger: logger)
            if !asked.isEmpty {
                try await connection.query(
                    """
                    UPDATE fleet_leases SET successor = asked.successor, handover_at = COALESCE(handover_at, \(now.nanoseconds))
                    FROM unnest(\(asked.map { $0.symbol.rawValue })::text[], \(asked.map { $0.successor })::text[])
                        AS asked(symbol, successor)
                    WHERE fleet_leases.symbol = asked.symbol
                    """, logger: logger)
            }
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
                    FROM unnest(\(moved.map { $0.symbol.rawValue })::text[], \(moved.map { $0.holder })::text[])
                        AS moved(symbol, holder)
                    ORDER BY symbol
                    ON CONFLICT (symbol) DO UPDATE SET
                        holder = excluded.holder, token = excluded.token, expires_at = excluded.expires_at,
                        successor = NULL, handover_at = NULL
                    """, logger: logger)
            }
            if !released.isEmpty || !moved.isEmpty || !asked.isEmpty {
                // Delivered at commit: the other collectors run their round now, not at their next renewal.
                try await connection.query("SELECT pg_notify(\(channel), \(member.id))", logger: logger)
            }
            var held: [Symbol: Int64] = [:]
            var giving: Set<Symbol> = []
            if !leaving {
                for try await (text, token, successor) in try await connection.query(
                    "SELECT symbol, token, successor FROM fleet_leases WHERE holder = \(member.id)", logger: logger
                ).decode((String, Int64, String?).self) {
                    guard let symbol = try? Symbol(text) else { continue }
                    held[symbol] = token
                    if successor != nil { giving.insert(symbol) }
                }
            }
            var fleet = try await Self.readFleet(on: connection, at: now, ttl: ttl, logger: logger)
            fleet.own = member.id
            return FleetRound(held: held, giving: giving, fleet: fleet, leased: Set(plan.keys))
        }
    }

    /// The second step of a planned move: `member` (its `heartbeatAt` is now) has stopped
    /// collecting `symbols` and written what it held for them; each lease it still holds with a
    /// successor goes to that successor under a new token (a successor that died meanwhile loses
    /// it after the TTL). Returns the symbols handed over; the fleet is notified.
    package func fleetHandOver(_ symbols: Set<Symbol>, from member: FleetMember, ttl: Duration) async throws(StoreError)
        -> Set<Symbol>
    {
        let (logger, channel, lock) = (logger, fleetChannel, fleetLock)
        let names = symbols.map(\.rawValue).sorted()
        let expires = (member.heartbeatAt + ttl).nanoseconds
        return try await inTransaction(.write) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock)))", logger: logger)
            // Locked in symbol order, as writes lock them to check their tokens: no deadlock.
            try await connection.query(
                "SELECT symbol FROM fleet_leases WHERE symbol = ANY(\(names)::text[]) ORDER BY symbol FOR UPDATE",
                logger: logger)
            var handed: Set<Symbol> = []
            for try await text in try await connection.query(
                """
                UPDATE fleet_leases SET holder = successor, token = nextval('fleet_lease_tokens'), expires_at = \(expires),
                    successor = NULL, handover_at = NULL
                WHERE symbol = ANY(\(names)::text[]) AND holder = \(member.id) AND successor IS NOT NULL
                RETURNING symbol
                """, logger: logger
            ).decode(String.self) {
                if let symbol = try? Symbol(text) { handed.insert(symbol) }
            }
            if !handed.isEmpty { try await connection.query("SELECT pg_notify(\(channel), \(member.id))", logger: logger) }
            return handed
        }
    }

    /// Keeps `member` (its `heartbeatAt` is now) in the fleet while a hand-over's flush makes
    /// progress and its round waits for it: its heartbeat, its leases until a TTL from now, and its
    /// hand-overs marked as under way since now (a successor takes a symbol from a live holder only
    /// a TTL after that: `fleetRound`). Moves nothing, so the fleet is not notified.
    package func fleetRenew(_ member: FleetMember, ttl: Duration) async throws(StoreError) {
        let (logger, lock) = (logger, fleetLock)
        let now = member.heartbeatAt
        try await inTransaction(.write) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock)))", logger: logger)
            // Locked in symbol order, as writes lock them to check their tokens: no deadlock.
            try await connection.query(
                "SELECT symbol FROM fleet_leases WHERE holder = \(member.id) ORDER BY symbol FOR UPDATE", logger: logger)
            try await connection.query(
                "UPDATE fleet_collectors SET heartbeat_at = \(now.nanoseconds) WHERE id = \(member.id) AND stopped_at IS NULL",
                logger: logger)
            try await connection.query(
                """
                UPDATE fleet_leases SET expires_at = \((now + ttl).nanoseconds),
                    handover_at = CASE WHEN successor IS NULL THEN NULL ELSE \(now.nanoseconds) END
                WHERE holder = \(member.id)
                """, logger: logger)
        }
    }

    /// When the silence of the whole fleet that this round ends began (read before this round's
    /// heartbeat), or nil when there was none: no collector, this one included, has heartbeated
    /// for `after` (one renewal and a half when this member's own rounds failed meanwhile: each
    /// live collector heartbeats every renewal, so the store was out of everyone's reach; else a
    /// TTL: every collector stalled), which is no collector's death. A lease does not lapse in such a silence: each running when it began runs a full TTL
    /// from its end (`fleetRound`), so every collector has that long to come back to its own
    /// symbols under the same tokens and write the rows it held through the outage; each renews
    /// them for a TTL from its own return, by its own heartbeat; one that is not back within the
    /// TTL is taken over as a dead one. A short outage counts as well as a long one: without this
    /// a collector would have only what was left of its lease when the store went away. A new
    /// member (no heartbeat of its own yet) finds no silence: stale heartbeats are dead collectors.
    private static func silenceSince(
        of id: String, at now: Timestamp, after silence: Duration, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int64? {
        var heard: (last: Int64?, own: Int64?) = (nil, nil)
        for try await row in try await connection.query(
            """
            SELECT max(heartbeat_at), max(heartbeat_at) FILTER (WHERE id = \(id))
            FROM fleet_collectors WHERE stopped_at IS NULL
            """, logger: logger
        ).decode((Int64?, Int64?).self) {
            heard = (row.0, row.1)
        }
        guard let last = heard.last, heard.own != nil, last <= (now - silence).nanoseconds else { return nil }
        return last
    }

    /// The channel on which a round that moved leases tells the fleet (one per schema).
    var fleetChannel: String { "ticktop_fleet_" + (schema ?? "public") }

    /// The advisory lock the fleet's rounds take, one per schema: fleets on other schemas of the
    /// database (the tests' fleets) do not wait for each other.
    var fleetLock: String { "ticktop-fleet:" + (schema ?? "public") }

    /// Calls `changed` each time a round of any collector of the fleet moves leases (a join, a
    /// takeover, a hand-over on drain), over a connection of its own that LISTENs, and once when
    /// the LISTEN has taken effect (a move made before it was announced to nobody here); returns
    /// when cancelled, throws when the connection fails.
    package func followFleetChanges(_ changed: @escaping @Sendable () -> Void) async throws {
        try await prepare()
        let channel = fleetChannel
        try await pooled { connection in
            try await connection.listen(on: channel) { notifications in
                changed()
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
