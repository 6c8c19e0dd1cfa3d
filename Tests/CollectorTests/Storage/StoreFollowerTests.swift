import CollectorTestSupport
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing

@testable import Collector

/// A terminal following the shared PostgreSQL store (`StoreViewer`, `StoreFollower`): what a
/// collector stores reaches its snapshot by `NOTIFY`, it says when the store does not answer, and
/// it recovers by itself. Needs `TICKTOP_TEST_POSTGRES_URL`.
@Suite(
    "StoreFollower",
    .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)),
    .stopsItsRigs, .timeLimit(.minutes(1)))
struct StoreFollowerTests {
    typealias S = StoreSamples
    static let sim = SourceID("sim")

    /// A viewer of `store` showing `symbols`, configured with the sources of `configuration`.
    static func viewer(
        _ store: PostgresStore, symbols: [Symbol], clock: ManualClock, logs: LogCapture = LogCapture()
    ) -> StoreViewer {
        let state = MarketState(
            watchlist: symbols, sources: [.init(id: sim, kind: "simulated", priority: 1), .init(id: S.alpaca, kind: "alpaca", priority: 2)],
            timeSource: clock)
        return StoreViewer(store: store, state: state, clock: clock, timeSource: clock, logger: logs.logger())
    }

    static func store(schema: String, clock: ManualClock, url: PostgresURL? = nil) throws -> PostgresStore {
        let url = try url ?? #require(try PostgresTestDatabase.url)
        return try PostgresStore(url: url, tls: .disable, schema: schema, operationTimeout: .seconds(20), timeSource: clock)
    }

    /// Waits for the viewer's next generations until `condition` holds of its snapshot.
    static func waitUntil(_ viewer: StoreViewer, _ condition: (MarketSnapshot) -> Bool) async -> MarketSnapshot {
        for await _ in await viewer.state.generations() {
            let snapshot = await viewer.snapshot()
            if condition(snapshot) { return snapshot }
        }
        return await viewer.snapshot()
    }

    @Test func aViewerFollowsACollectorRuntimeOnTheSimulatedMarket() async throws {
        let clock = ManualClock()
        let schema = PostgresTestDatabase.freshSchema()
        let (collectorStore, viewerStore) = (try Self.store(schema: schema, clock: clock), try Self.store(schema: schema, clock: clock))
        let symbols = [S.aapl, S.msft]
        let viewer = Self.viewer(viewerStore, symbols: symbols, clock: clock)
        let following = ServiceRig([("follow-store", viewer.follower)])
        await ManualClock.wait(until: { viewer.follower.status.caughtUpAt != nil }, what: "the first catch-up")
        #expect(viewer.follower.status.storeHasQuotes == false, "an empty store says so")
        #expect(viewer.follower.status.unreachableSince == nil)

        let configuration = try ConfigLoader.parse(
            "[store]\nkind = \"memory\"\n\n[sources.sim]\nkind = \"simulated\"\ntick_interval = \"250ms\"\n", file: "test.toml")
        let home = try TemporaryDirectory()  // the spill file slot's lock
        let runtime = try CollectorRuntime(
            configuration: configuration, symbols: symbols, databasePath: nil, faults: [:], clock: clock, timeSource: clock,
            environment: ["HOME": home.url.path], logger: .quiet(), openedStore: collectorStore)
        let services = try ["ingest", "stream-sim"].map { name in
            (name: name, service: try #require(runtime.services.first { $0.serviceName == name }?.service, "no service \(name)"))
        }
        let collecting = ServiceRig(services)
        for _ in 0..<4 {
            await clock.waitForSleeper(named: "tick SIM")
            clock.advance(by: .milliseconds(250))
        }
        await collecting.stop()  // the writer flushes what it holds
        let stored = try await collectorStore.latestQuotes()
        #expect(Set(stored.map(\.symbol)) == Set(symbols), "the collector stored a quote of each symbol")

        let shown = await Self.waitUntil(viewer) { snapshot in
            snapshot.symbols.allSatisfy { symbol in symbol.quotes == stored.filter { $0.symbol == symbol.symbol } }
        }
        for symbol in shown.symbols {
            let quote = try #require(symbol.selected)
            #expect(quote.source == Self.sim, "provenance kept")
            #expect(symbol.age(at: shown.takenAt) == quote.age(at: clock.now()), "the age is measured now, from the exchange time")
        }
        #expect(shown.follow?.lastChangeAt != nil, "the quotes came by NOTIFY, after the first catch-up")
        #expect(shown.follow?.storeHasQuotes == false, "as of the catch-up")
        let health = try #require(shown.sources.first { $0.source == Self.sim })
        #expect(health.state == .streaming, "the health comes from the stored transitions")
        await following.stop()
        await viewerStore.close()
        try await collectorStore.dropSchema()
    }

    @Test func aWritesNotificationBringsItsRowsOfEveryKind() async throws {
        let clock = ManualClock(epoch: S.origin + .seconds(30))
        let schema = PostgresTestDatabase.freshSchema()
        let (writer, viewerStore) = (try Self.store(schema: schema, clock: clock), try Self.store(schema: schema, clock: clock))
        try await writer.write(StoreBatch(quotes: [S.quote(symbol: S.msft, bid: 300, receivedAt: 1)]))
        let viewer = Self.viewer(viewerStore, symbols: [S.aapl], clock: clock)
        let following = ServiceRig([("follow-store", viewer.follower)])
        await ManualClock.wait(until: { viewer.follower.status.caughtUpAt != nil }, what: "the first catch-up")
        #expect(viewer.follower.status.storeHasQuotes == true, "a quote of another symbol is data")
        #expect(await viewer.snapshot().symbols.first?.selected == nil)

        let quote = S.quote(bid: 101, receivedAt: 20, last: 101.01)
        let alert = Alert(kind: .sourceDown, severity: .error, subject: "alpaca", message: "ALPACA down", raisedAt: S.origin + .seconds(21))
        let anomaly = S.anomaly("price-spike", detectedAt: 22, subject: .quote(quote))
        let transition = HealthTransition(source: S.alpaca, from: .starting, to: .polling, detail: "every 15s", at: S.origin + .seconds(5))
        let bars = [S.bar(0), S.bar(1), S.bar(1, symbol: S.msft)]
        try await writer.write(
            StoreBatch(quotes: [quote], bars: bars, anomalies: [anomaly], alerts: [alert], transitions: [transition]))

        let shown = await Self.waitUntil(viewer) { $0.symbols.first?.selected != nil && !$0.alerts.isEmpty }
        let symbol = try #require(shown.symbols.first)
        #expect(symbol.selected == quote)
        #expect(symbol.recentCloses == [S.bar(0).close, S.bar(1).close], "AAPL's minute bars, not MSFT's")
        #expect(shown.alerts == [alert])
        #expect(shown.recentAnomalies.map(\.rule) == ["price-spike"])
        let alpaca = try #require(shown.sources.first { $0.source == S.alpaca })
        #expect(alpaca.state == .polling && alpaca.detail == "every 15s" && alpaca.stateSince == transition.at)

        // Another symbol: read from the store at once (a catch-up), then followed.
        await viewer.setSymbols([S.aapl, S.msft])
        let both = await Self.waitUntil(viewer) { $0.symbols.count == 2 && $0.symbols.allSatisfy { $0.selected != nil } }
        #expect(both.symbols.map { $0.selected?.bid } == [101, 300])
        #expect(both.recentAnomalies.count == 1, "an anomaly read again at a catch-up is shown once")
        await following.stop()
        await viewerStore.close()
        try await writer.dropSchema()
    }

    @Test func aStoreThatDoesNotListenIsUnreachableAndTriedAgainWithBackoff() async throws {
        let clock = ManualClock()
        let url = try PostgresURL("postgres://desk:hunter22@127.0.0.1:1/ticks")
        let store = try PostgresStore(url: url, tls: .disable, timeSource: clock)
        let logs = LogCapture()
        let viewer = Self.viewer(store, symbols: [S.aapl], clock: clock, logs: logs)
        await #expect {
            try await viewer.readOnce()
        } throws: { error in
            (error as? StoreError)?.kind == .unreachable && !String(describing: error).contains("hunter22")
        }
        let since = clock.now()
        let rig = ServiceRig([("follow-store", viewer.follower)])
        await clock.waitForSleeper(named: "store reconnect")
        let status = viewer.follower.status
        #expect(status.unreachableSince == since)
        #expect(status.problem?.contains("cannot connect to the server") == true)
        #expect(await viewer.snapshot().follow == status)
        clock.advance(by: .seconds(1))
        await clock.waitForSleeper(named: "store reconnect")
        #expect(viewer.follower.status.unreachableSince == since, "since the first failure, across retries")
        #expect(logs.all.filter { $0.contains("store unreachable") }.count == 1, "one warning per outage")
        #expect(!logs.text.contains("hunter22"))
        await rig.stop()
        await store.close()
    }

    @Test func aServerThatStopsAnsweringMidReadIsLeftAndFollowedAgain() async throws {
        let clock = ManualClock(epoch: S.origin + .seconds(30))
        let schema = PostgresTestDatabase.freshSchema()
        let url = try #require(try PostgresTestDatabase.url)
        let proxy = try LoopbackTCPProxy(targetPort: url.port)
        var proxied = url
        proxied.port = proxy.port
        let writer = try Self.store(schema: schema, clock: clock)
        try await writer.prepare()
        // The viewer reaches the server through the proxy and waits 3 s for an answer.
        let viewerStore = try PostgresStore(
            url: proxied, tls: .disable, schema: schema, operationTimeout: .seconds(3), timeSource: clock)
        let viewer = Self.viewer(viewerStore, symbols: [S.aapl], clock: clock)
        let following = ServiceRig([("follow-store", viewer.follower)])
        await ManualClock.wait(until: { viewer.follower.status.caughtUpAt != nil }, what: "the first catch-up")
        let connections = proxy.accepted

        // The server stops answering the viewer (its notifications still arrive): the read a write's
        // notification asks for gets no answer, and postgres-nio's query ignores cancellation.
        proxy.freeze()
        let quote = S.quote(bid: 99, receivedAt: 25)
        try await writer.write(StoreBatch(quotes: [quote]))
        await clock.waitForSleeper(named: "store reconnect")
        let status = viewer.follower.status
        #expect(status.unreachableSince == clock.now())
        #expect(status.problem == "PostgreSQL did not answer within 3s")

        proxy.thaw()
        clock.advance(by: .seconds(1))
        let shown = await Self.waitUntil(viewer) { $0.symbols.first?.selected == quote && $0.follow?.isFollowing == true }
        #expect(shown.follow?.unreachableSince == nil)
        #expect(proxy.accepted > connections, "on a new connection")
        await following.stop()
        proxy.cut()
        await viewerStore.close()
        try await writer.dropSchema()
    }

    @Test
    func aBrokenConnectionIsRecoveredAndWhatWasWrittenMeanwhileIsCaughtUp() async throws {
        let clock = ManualClock(epoch: S.origin + .seconds(30))
        let schema = PostgresTestDatabase.freshSchema()
        let (writer, viewerStore) = (try Self.store(schema: schema, clock: clock), try Self.store(schema: schema, clock: clock))
        let viewer = Self.viewer(viewerStore, symbols: [S.aapl], clock: clock)
        let following = ServiceRig([("follow-store", viewer.follower)])
        await ManualClock.wait(until: { viewer.follower.status.caughtUpAt != nil }, what: "the first catch-up")

        // The server ends the follower's connection (as a restart does).
        let logger = Logger(label: "test")
        _ = try await writer.client.query(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = \(viewerStore.followerName) AND datname = current_database()
            """, logger: logger)
        await clock.waitForSleeper(named: "store reconnect")
        #expect(viewer.follower.status.unreachableSince == clock.now())
        #expect(viewer.follower.status.isFollowing == false)

        let quote = S.quote(bid: 99, receivedAt: 25)
        try await writer.write(StoreBatch(quotes: [quote]))  // while the viewer is away: no notification reaches it
        clock.advance(by: .seconds(1))
        let shown = await Self.waitUntil(viewer) { $0.symbols.first?.selected == quote && $0.follow?.isFollowing == true }
        #expect(shown.follow?.unreachableSince == nil)
        await following.stop()
        await viewerStore.close()
        try await writer.dropSchema()
    }
}
