import CollectorTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Collector

private let F = MarketFixtures.self

/// A viewer's part in the fleet (`ViewerFleet`, `StoreViewer`): it asks the fleet for what it
/// shows and renews the asks on its clock, its asks lapse a lease TTL after it is gone, it reads
/// the registry on its clock and when leases move, and it says when no collector is alive. Each
/// collector and viewer has its own clock and store on one PostgreSQL schema. Needs
/// `TICKTOP_TEST_POSTGRES_URL`.
@Suite(
    "Viewer fleet",
    .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)),
    .timeLimit(.minutes(1)), .stopsItsRigs)
struct ViewerFleetTests {
    typealias Fleet = FleetCoordinatorTests
    static let (aapl, tsla, nvda) = (F.symbol("AAPL"), F.symbol("TSLA"), F.symbol("NVDA"))

    /// A store of its own on the fleet's schema, on `clock`.
    static func store(of fleet: Fleet.Fleet, clock: ManualClock) throws -> PostgresStore {
        let url = try #require(try PostgresTestDatabase.url)
        return try PostgresStore(url: url, tls: .disable, schema: fleet[0].store.schema, timeSource: clock)
    }

    static func viewerFleet(_ store: PostgresStore, asks: [Symbol], clock: ManualClock) -> ViewerFleet {
        ViewerFleet(
            store: store, settings: Fleet.ttl, viewer: "viewer:desk:7", asks: asks, clock: clock, timeSource: clock,
            logger: .quiet())
    }

    /// Rows in `fleet_asks`.
    static func askRows(_ store: PostgresStore) async throws -> Int64 {
        try await store.fetch("SELECT COUNT(*) FROM fleet_asks") { try $0.decode(Int64.self) }.first ?? -1
    }

    /// A viewer asks, a collector leases it; the viewer renews once then is gone (killed: nothing
    /// withdrawn). Its ask holds for one TTL after the renewal, then the symbol is no longer wanted:
    /// its lease is released and the ask deleted, while the collector's own watchlist stays.
    @Test func aViewersAskIsLeasedRenewedAndLapsesATTLAfterTheViewerIsGone() async throws {
        let fleet = try Fleet.fleet(1, watchlist: [Self.aapl])
        let clock = ManualClock()
        let store = try Self.store(of: fleet, clock: clock)
        let viewer = Self.viewerFleet(store, asks: [Self.aapl, Self.tsla], clock: clock)
        await viewer.renew()
        await fleet[0].coordinator.round()
        #expect(fleet[0].coordinator.held == [Self.aapl, Self.tsla])
        clock.advance(by: .seconds(5))
        await viewer.renew()  // the last renewal: asked at 15:00:05
        for _ in 0..<3 {  // 15:00:05 .. 15:00:15
            fleet[0].clock.advance(by: .seconds(5))
            await fleet[0].coordinator.round()
            #expect(fleet[0].coordinator.held == [Self.aapl, Self.tsla], "the ask holds for one TTL after its renewal")
        }
        fleet[0].clock.advance(by: .seconds(5))  // 15:00:20: the ask is a TTL old
        await fleet[0].coordinator.round()
        #expect(fleet[0].coordinator.held == [Self.aapl], "nobody views TSLA and no collector is configured for it")
        #expect(try await store.fleetLeases()[Self.tsla]?.holder == nil)
        #expect(try await Self.askRows(store) == 0, "the lapsed ask is deleted")
        #expect(fleet[0].coordinator.fleet?.wanted == 1)
        await store.close()
        try await fleet.close()
    }

    /// Running as a service: the viewer asks and reads at start; it reads again at once when a
    /// round moves leases (NOTIFY), and every renew_every on its clock (heartbeats do not notify);
    /// a watchlist change asks at once; stopping withdraws the asks at once.
    @Test func theServiceAsksAndReadsOnItsClockAndWhenLeasesMove() async throws {
        let fleet = try Fleet.fleet(1, watchlist: [Self.aapl])
        let clock = ManualClock()
        let store = try Self.store(of: fleet, clock: clock)
        let viewer = Self.viewerFleet(store, asks: [Self.tsla], clock: clock)
        let rig = ServiceRig([("viewer-fleet", viewer)])
        await clock.waitForSleeper(named: "fleet read")
        #expect(viewer.fleet?.members.isEmpty == true)
        #expect(viewer.liveness(at: clock.now()).alive == nil, "no collector ever joined: nothing to say")
        try await Self.waitUntilListening(store)

        await fleet[0].coordinator.round()  // c0 joins and leases AAPL and the viewer's TSLA: leases moved
        #expect(fleet[0].coordinator.held == [Self.aapl, Self.tsla])
        await ManualClock.wait(until: { viewer.fleet?.members.map(\.id) == ["c0"] }, what: "the read after the lease move")
        #expect(clock.elapsed == .zero && viewer.liveness(at: clock.now()).alive == true)

        fleet[0].clock.advance(by: .seconds(5))
        await fleet[0].coordinator.round()  // a heartbeat only: no NOTIFY
        let heartbeat = fleet[0].clock.now()
        await clock.waitForSleeper(named: "fleet read")  // the pause after the read the NOTIFY woke
        clock.advance(by: .seconds(5))
        await ManualClock.wait(
            until: { viewer.fleet?.members.first?.heartbeatAt == heartbeat }, what: "the read on the viewer's clock")

        viewer.ask([Self.tsla, Self.nvda])
        await ManualClock.wait(until: { viewer.fleet?.wanted == 3 }, what: "the read after the new ask")
        await fleet[0].coordinator.round()
        #expect(fleet[0].coordinator.held == [Self.aapl, Self.nvda, Self.tsla])

        await rig.stop()
        #expect(try await Self.askRows(store) == 0, "a viewer that stops withdraws its asks")
        await fleet[0].coordinator.round()
        #expect(fleet[0].coordinator.held == [Self.aapl])
        await store.close()
        try await fleet.close()
    }

    /// A symbol added to a viewer's watchlist (`StoreViewer.setSymbols`, the board's edit) is asked
    /// for at once, and a collector not configured for it collects it at its next round.
    @Test func aWatchlistEditInAViewerAsksTheFleet() async throws {
        let fleet = try Fleet.fleet(1, watchlist: [Self.aapl])
        let clock = ManualClock()
        let store = try Self.store(of: fleet, clock: clock)
        let state = MarketState(watchlist: [Self.aapl], sources: [], timeSource: clock)
        let viewer = StoreViewer(
            store: store, state: state, clock: clock, timeSource: clock, logger: .quiet(), fleetSettings: Fleet.ttl,
            viewer: "viewer:desk:7")
        let rig = ServiceRig([("fleet", viewer.fleet)])
        await clock.waitForSleeper(named: "fleet read")
        #expect(viewer.fleet.fleet?.wanted == 1, "the viewer asked for what it shows at start")
        await viewer.setSymbols([Self.aapl, Self.tsla])
        await ManualClock.wait(until: { viewer.fleet.fleet?.wanted == 2 }, what: "the read after the edit's ask")
        await fleet[0].coordinator.round()
        #expect(fleet[0].coordinator.held == [Self.aapl, Self.tsla])
        await rig.stop()
        await store.close()
        try await fleet.close()
    }

    /// The viewer's LISTEN on the fleet's channel is in place (a NOTIFY sent before it would be lost).
    static func waitUntilListening(_ store: PostgresStore) async throws {
        let pattern = "%" + store.fleetChannel + "%"
        func listening() async throws -> Bool {
            let rows = try await store.fetch(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND query LIKE \(pattern)"
            ) { try $0.decode(Int64.self) }
            return rows.first ?? 0 > 0
        }
        while try await !listening() { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// `--once --store postgres` and the board's snapshot: with c0 alive the prices are what they
    /// are; a TTL after c0's last heartbeat no collector is alive, said with the heartbeat's time,
    /// and a price still young by age is marked stale. `--once` asks the fleet for nothing.
    @Test func aViewerSaysWhenNoCollectorIsAliveAndItsPricesAreNotLive() async throws {
        let fleet = try Fleet.fleet(1, watchlist: [Self.aapl])
        await fleet[0].coordinator.round()
        try await fleet[0].store.write(StoreBatch(quotes: [F.quote("AAPL", at: fleet[0].clock.now())]))
        let clock = ManualClock()
        let store = try Self.store(of: fleet, clock: clock)
        let state = MarketState(
            watchlist: [Self.aapl], sources: [.init(id: .simulated, kind: "simulated", priority: 1)], timeSource: clock)
        let viewer = StoreViewer(
            store: store, state: state, clock: clock, timeSource: clock, logger: .quiet(), fleetSettings: Fleet.ttl,
            viewer: "viewer:desk:7")
        var snapshot = try await viewer.readOnce()
        #expect(snapshot.follow?.fleetAlive == true && snapshot.follow?.noCollectorSince == nil)
        #expect(snapshot.fleet?.members.map(\.id) == ["c0"])
        #expect(snapshot.symbol(Self.aapl)?.quality == .clean)

        clock.advance(by: .seconds(15))  // c0's heartbeat is a TTL old; the quote is 15 s old, young by age
        snapshot = try await viewer.readOnce()
        #expect(snapshot.follow?.fleetAlive == false && snapshot.follow?.noCollectorSince == fleet[0].clock.now())
        let aapl = try #require(snapshot.symbol(Self.aapl))
        #expect(aapl.quality == .stale && aapl.staleReason == "no collector alive since 15:00:00 UTC")
        #expect(try await Self.askRows(store) == 0, "--once asks for nothing")
        await store.close()
        try await fleet.close()
    }
}

extension ViewerFleetTests {
    /// A viewer whose server stopped answering still quits at once: before, the ask in flight and
    /// then the withdrawal each waited for the store's deadline (57 s by hand with the default 30 s),
    /// with the user's `q` pressed. Here the deadline is 10 minutes, past the suite's time limit.
    @Test func aViewerStopsAtOnceWhenTheServerStopsAnswering() async throws {
        let fleet = try Fleet.fleet(1, watchlist: [Self.aapl])
        let clock = ManualClock()
        let url = try #require(try PostgresTestDatabase.url)
        let proxy = try LoopbackTCPProxy(targetPort: url.port)
        var proxied = url
        proxied.port = proxy.port
        let store = try PostgresStore(
            url: proxied, tls: .disable, schema: fleet[0].store.schema, operationTimeout: .seconds(600), timeSource: clock)
        let logs = LogCapture()
        let viewer = ViewerFleet(
            store: store, settings: Fleet.ttl, viewer: "viewer:desk:8", asks: [Self.tsla], clock: clock, timeSource: clock,
            logger: logs.logger())
        let rig = ServiceRig([("viewer-fleet", viewer)])
        await clock.waitForSleeper(named: "fleet read")
        #expect(try await Self.askRows(fleet[0].store) == 1)

        proxy.freeze()
        viewer.ask([Self.tsla, Self.nvda])  // an ask the server never answers
        await rig.stop()
        #expect(
            logs.text.contains("could not withdraw this viewer's asks; they lapse after the lease TTL")
                && logs.text.contains("did not answer within 1s"), "\(logs.text)")
        proxy.cut()
        await store.close()
        try await fleet.close()
    }
}
