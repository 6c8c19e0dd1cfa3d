import CollectorTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import Collector

private let F = MarketFixtures.self

/// Every statement that locks several lease rows locks them in symbol order: a fleet round (which
/// renews and moves leases) and a write (which checks its rows' leases `FOR SHARE`) over the same
/// symbols wait for each other, never deadlock; and a write that waited for a lease row judges
/// its fenced rows by the leases as they are after the wait. Needs `TICKTOP_TEST_POSTGRES_URL`.
@Suite(
    "Fleet lease lock order",
    .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)),
    .timeLimit(.minutes(1)))
struct FleetLeaseLockOrderTests {
    /// The lease rows lie on disk in the reverse of symbol order (as moves and hand-overs leave
    /// them over time), so a statement that locks them in the order it finds them crosses a write
    /// locking them in symbol order. The crossing is made certain: a third transaction holds the
    /// middle row (`FOR SHARE`, as another write would) until the round waits for it and the
    /// write waits for the round. Before the round locked its rows in symbol order first, its
    /// renewal held the upper half and the write the lower half, and PostgreSQL ended one of them
    /// with "deadlock detected" (40P01).
    @Test func aRoundAndAWriteOverTheSameSymbolsNeverDeadlock() async throws {
        let url = try #require(try PostgresTestDatabase.url)
        let schema = PostgresTestDatabase.freshSchema()
        let clock = ManualClock()
        let symbols = (0..<300).map { F.symbol(String(format: "S%03d", $0)) }
        let fleet = try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: clock, logger: .quiet())
        let writer = try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: clock, logger: .quiet())
        let member = FleetMember(
            id: "c0", host: "host0", pid: 100, version: "0.1.0", startedAt: clock.now(), heartbeatAt: clock.now(),
            sources: [.simulated], watchlist: symbols)
        let ttl = Duration.seconds(15)
        let first = try await fleet.fleetRound(member, ttl: ttl)
        #expect(first.held.count == symbols.count)
        writer.fence.update(LeaseFence.Held(holder: "c0", tokens: first.held))
        try await Self.storeLeasesInReverseOrder(fleet)

        let blocker = try await fleet.followingConnection(logger: .quiet())
        let watcher = try await fleet.followingConnection(logger: .quiet())
        try await blocker.query("BEGIN", logger: .quiet())
        try await blocker.query("SELECT symbol FROM fleet_leases WHERE symbol = 'S150' FOR SHARE", logger: .quiet())
        let blockerPID = try await Self.pid(of: blocker)

        clock.advance(by: .seconds(1))
        let beat = FleetMember(
            id: "c0", host: "host0", pid: 100, version: "0.1.0", startedAt: member.startedAt, heartbeatAt: clock.now(),
            sources: [.simulated], watchlist: symbols)
        async let round = Self.outcome { () async throws(StoreError) in try await fleet.fleetRound(beat, ttl: ttl) }
        let roundPID = try await Self.waitForBackend(blockedBy: blockerPID, on: watcher)
        let batch = StoreBatch(bars: symbols.map { F.bar($0.rawValue, start: F.baseTime) })
        async let write = Self.outcome { () async throws(StoreError) in try await writer.write(batch) }
        _ = try await Self.waitForBackend(blockedBy: roundPID, on: watcher)
        try await blocker.query("COMMIT", logger: .quiet())

        switch await round {
        case .success(let result): #expect(result.held == first.held)
        case .failure(let error): Issue.record("the round failed: \(error)")
        }
        switch await write {
        case .success(let result): #expect(result.barsInserted == symbols.count && result.rowsFenced == 0)
        case .failure(let error): Issue.record("the write failed: \(error)")
        }
        try await blocker.close()
        try await watcher.close()
        await writer.close()
        try await fleet.dropSchema()
    }

    /// A write that took its fence before a hand-over of its symbol and checks the lease after the
    /// hand-over committed (it waited for a connection, or for the lease row, as here): its row is
    /// fenced as a straggler, since the collector marked the symbol given up before handing it
    /// over. Before, the fence taken at the write's start judged it, and the row counted as a loss
    /// (`collect` exited 1; seen in the fleet's end-to-end tests at the start's rebalance).
    @Test func aRowFencedByAHandOverThatCommittedWhileTheWriteWaitedIsAStraggler() async throws {
        let url = try #require(try PostgresTestDatabase.url)
        let schema = PostgresTestDatabase.freshSchema()
        let clock = ManualClock()
        let symbol = F.symbol("S000")
        let fleet = try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: clock, logger: .quiet())
        let writer = try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: clock, logger: .quiet())
        let member = FleetMember(
            id: "c0", host: "host0", pid: 100, version: "0.1.0", startedAt: clock.now(), heartbeatAt: clock.now(),
            sources: [.simulated], watchlist: [symbol])
        let held = try await fleet.fleetRound(member, ttl: .seconds(15)).held
        writer.fence.update(LeaseFence.Held(holder: "c0", tokens: held))

        let blocker = try await fleet.followingConnection(logger: .quiet())
        let watcher = try await fleet.followingConnection(logger: .quiet())
        try await blocker.query("BEGIN", logger: .quiet())
        try await blocker.query("SELECT symbol FROM fleet_leases WHERE symbol = 'S000' FOR UPDATE", logger: .quiet())
        let blockerPID = try await Self.pid(of: blocker)
        async let write = Self.outcome { () async throws(StoreError) in
            try await writer.write(StoreBatch(bars: [F.bar("S000", start: F.baseTime)]))
        }
        _ = try await Self.waitForBackend(blockedBy: blockerPID, on: watcher)
        // The hand-over: the collector marks the symbol given up, then the lease moves to c1.
        writer.fence.update(LeaseFence.Held(holder: "c0", tokens: held, givingUp: [symbol]))
        try await blocker.query(
            "UPDATE fleet_leases SET holder = 'c1', token = token + 1 WHERE symbol = 'S000'", logger: .quiet())
        try await blocker.query("COMMIT", logger: .quiet())

        switch await write {
        case .success(let result):
            #expect(result.rowsFenced == 1 && result.barsInserted == 0)
            #expect(result.rowsOfLostLeases == 0, "a straggler of a symbol handed over, not a loss")
        case .failure(let error): Issue.record("the write failed: \(error)")
        }
        try await blocker.close()
        try await watcher.close()
        await writer.close()
        try await fleet.dropSchema()
    }

    static func pid(of connection: PostgresConnection) async throws -> Int32 {
        var pid: Int32 = 0
        for try await value in try await connection.query("SELECT pg_backend_pid()", logger: .quiet()).decode(Int32.self) {
            pid = value
        }
        return pid
    }

    /// Waits until a server process waits for a lock `blocker` holds; returns its pid. The server
    /// announces no lock waits, so its lock table is read every few milliseconds.
    static func waitForBackend(blockedBy blocker: Int32, on connection: PostgresConnection) async throws -> Int32 {
        while true {
            var blocked: Int32?
            for try await pid in try await connection.query(
                "SELECT pid FROM pg_locks WHERE NOT granted AND \(blocker) = ANY(pg_blocking_pids(pid)) LIMIT 1",
                logger: .quiet()
            ).decode(Int32.self) {
                blocked = pid
            }
            if let blocked { return blocked }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func outcome<T: Sendable>(_ body: () async throws(StoreError) -> T) async -> Result<T, StoreError> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// Rewrites every lease row, unchanged, in the reverse of symbol order: new row versions, so
    /// that a scan (and the holder index, whose equal keys are in row order) finds them that way.
    static func storeLeasesInReverseOrder(_ store: PostgresStore) async throws {
        try await store.inTransaction(.write) { connection in
            try await connection.query(
                "CREATE TEMPORARY TABLE leases_copy ON COMMIT DROP AS SELECT * FROM fleet_leases", logger: .quiet())
            try await connection.query("DELETE FROM fleet_leases", logger: .quiet())
            try await connection.query(
                "INSERT INTO fleet_leases SELECT * FROM leases_copy ORDER BY symbol DESC", logger: .quiet())
        }
    }
}
