import CollectorTestSupport
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Testing

@testable import Collector

/// A collector whose PostgreSQL store goes away (stopped, restarted, the network cut) keeps what it
/// collects: in memory, then in a spill file in the state directory, and writes it once when the
/// store is back, in this run or the next. The store is reached through a `LoopbackTCPProxy`, so the
/// scratch server the other tests share keeps running. Needs `TICKTOP_TEST_POSTGRES_URL`.
@Suite(
    "PostgresOutage",
    .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)),
    .timeLimit(.minutes(2)))
struct PostgresOutageTests {
    typealias S = StoreSamples

    /// A collector's runtime on the PostgreSQL store at `url` (schema `schema`), with its state directory in `home`.
    static func runtime(url: PostgresURL, schema: String, home: TemporaryDirectory, clock: ManualClock) throws -> CollectorRuntime
    {
        let configuration = try ConfigLoader.parse(
            "[store]\nkind = \"postgres\"\nurl_env = \"TICKTOP_TEST_POSTGRES_URL\"\n\n[sources.sim]\nkind = \"simulated\"\n",
            file: "test.toml")
        // 3 s of patience for the pool to connect again once the port answers (a refused connect fails at once).
        let store = try PostgresStore(url: url, tls: .disable, schema: schema, operationTimeout: .seconds(3), timeSource: clock)
        return try CollectorRuntime(
            configuration: configuration, symbols: [S.aapl], databasePath: nil, faults: [:], clock: clock, timeSource: clock,
            environment: ["HOME": home.url.path, "XDG_STATE_HOME": home.path("state")], logger: .quiet(), openedStore: store)
    }

    /// Advances the clock past each retry's backoff until nothing waits for the store: a retry
    /// before the store's pool has connected again (its own backoff runs on real time), or one
    /// whose deadline passed on a loaded machine, fails like the others and is tried again.
    static func retryUntilWritten(_ writer: StoreWriter, clock: ManualClock) async {
        while writer.current.rowsWaiting > 0 {
            let failures = writer.current.failures
            clock.advance(by: .seconds(60))  // the longest backoff
            await ManualClock.wait(
                until: { writer.current.rowsWaiting == 0 || writer.current.failures > failures }, what: "a retry")
        }
    }

    /// A server that refuses connections fails a write at once, as unreachable with the refused
    /// connect as the reason, not at the store's deadline: postgres-nio's pool keeps retrying the
    /// connect and its waiters waiting, so before, the write failed only when the deadline passed
    /// ("did not answer within"), and the banner and `/healthz` showed the outage that late.
    @Test func aRefusedConnectionFailsAWriteAtOnceNotAtTheDeadline() async throws {
        let rig = try await ProxiedStore()
        let (proxy, store) = (rig.proxy, rig.store)

        proxy.cut()  // the port refuses connections from now on
        for attempt in 1...2 {  // the second while the pool is backing off from its failed connects
            let error = await #expect(throws: StoreError.self) { try await store.write(StoreBatch(bars: [S.bar(attempt)])) }
            #expect(error?.kind == .unreachable)
            #expect(error?.detail.contains("did not answer within") == false, "no deadline passed: \(String(describing: error))")
            #expect(error?.detail.contains("cannot connect to the server") == true, "the refused connect: \(String(describing: error))")
        }
        try proxy.restore()
        let retried = try await store.write(StoreBatch(bars: [S.bar(1)]))
        #expect(retried.barsInserted == 1, "written once the port answers again")
        try await rig.end()
    }

    /// A store whose pool has backed off long (many failed connects while the server was down) uses
    /// the server as soon as it answers again: the waiting operation runs on the connection the
    /// store probes with, before the pool's next try (100 ms x 1.25^n after n failed connects:
    /// after 14, about 1.8 s away; after a 40 s outage, up to 26 s). Before, it waited for the pool
    /// (seen: 30 s, the deadline), and a fleet collector's leases lapsed meanwhile.
    @Test func aPoolBackingOffLongDoesNotHoldAnOperationOnceTheServerAnswers() async throws {
        let rig = try await ProxiedStore()
        let (proxy, direct, store) = (rig.proxy, rig.direct, rig.store)

        proxy.cut()
        await #expect(throws: StoreError.self) { try await store.write(StoreBatch(bars: [S.bar(0)])) }
        // The pool keeps trying by itself, each try further away than the last.
        _ = await store.connectWatch.failure(after: 13)
        try proxy.restore()
        let attempts = store.connectWatch.attempts
        let written = try await store.write(StoreBatch(bars: [S.bar(0), S.bar(1)]))
        #expect(written.barsInserted == 2)
        #expect(store.connectWatch.attempts == attempts, "written before the pool's next try")
        let stored = try await direct.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
        #expect(stored.map(\.start) == [S.bar(0).start, S.bar(1).start], "each bar once")
        try await rig.end()
    }

    /// Once the pool has connected again after an outage, operations use it, with no connect of
    /// their own: the pool's connects that succeed are not logged, so before, the store took the
    /// pool for failing ever after the first failed connect, and every operation connected once more
    /// beside its lease.
    @Test func afterAnOutageOperationsUseThePoolAgainWithNoConnectOfTheirOwn() async throws {
        let rig = try await ProxiedStore()
        let (proxy, store) = (rig.proxy, rig.store)

        proxy.cut()
        await #expect(throws: StoreError.self) { try await store.write(StoreBatch(bars: [S.bar(0)])) }
        let (tried, failed) = (store.connectWatch.attempts, store.connectWatch.failures)
        try proxy.restore()
        // The pool's try after the port answers: its next, a backoff away, or the one under way now
        // when there is one (it may succeed, and a success is not logged: only its lease shows it;
        // waiting for a next try then waited forever). Until the pool has connected, an operation
        // goes on a connection of its own; after, the pool's lease wins.
        if tried == failed { _ = await store.connectWatch.attempt(after: tried) }
        var operations = 0
        while store.connectWatch.isFailing && operations < 500 {
            _ = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
            operations += 1
        }
        try #require(!store.connectWatch.isFailing, "the pool connected again")
        let accepted = proxy.accepted
        for minute in 1...3 { _ = try await store.write(StoreBatch(bars: [S.bar(minute)])) }
        #expect(proxy.accepted == accepted, "no connect beside the pool's")
        try await rig.end()
    }

    /// How a transaction goes on after the server closed its connection between two statements.
    enum AfterTheClose: CaseIterable, Sendable {
        /// Its next statement.
        case statement
        /// Its body fails, and postgres-nio's `withTransaction` sends `ROLLBACK`.
        case rollback
    }

    /// How the session ends.
    enum SessionEnd: CaseIterable, Sendable {
        /// The server ends it (`pg_terminate_backend`, as PostgreSQL stopping does to every session).
        case terminated
        /// The network is cut (the proxy).
        case cut
    }

    struct Interrupted: Error {}

    /// A server that ends the session in the middle of a transaction (PostgreSQL stopping: its
    /// sessions are ended) fails the write at once, as unreachable, not at the store's deadline.
    /// postgres-nio never answers a statement sent on a connection once it has closed, so before,
    /// the next statement or the transaction's `ROLLBACK` waited for the deadline (30 s in a
    /// collector: seen at the start of PostgreSQL outages in the fleet's end-to-end test).
    @Test(arguments: SessionEnd.allCases, AfterTheClose.allCases)
    func aTransactionWhoseConnectionClosesFailsAtOnce(end: SessionEnd, after: AfterTheClose) async throws {
        let rig = try await ProxiedStore(operationTimeout: .seconds(20))
        let (proxy, direct, store) = (rig.proxy, rig.direct, rig.store)
        let logger = Logger(label: "test")

        let error = await #expect(throws: StoreError.self) {
            try await store.inTransaction(.write) { connection in
                let backend = try await connection.query("SELECT pg_backend_pid()", logger: logger).collect()[0]
                    .decode(Int32.self)
                switch end {
                case .terminated:
                    try await direct.withConnection(.write) { other in
                        _ = try await other.query("SELECT pg_terminate_backend(\(backend))", logger: logger)
                    }
                case .cut: proxy.cut()
                }
                try? await connection.closeFuture.get()
                switch after {
                case .statement: try await connection.query("SELECT 2", logger: logger)
                case .rollback: throw Interrupted()
                }
            }
        }
        #expect(error?.kind == .unreachable, "\(String(describing: error))")
        #expect(error?.detail.contains("did not answer within") == false, "no deadline passed: \(String(describing: error))")
        #expect(error?.detail.contains("the connection closed during the operation") == true, "\(String(describing: error))")
        try await rig.end()
    }

    @Test func anOutageKeepsTheRowsInTheStateDirectoryAndTheNextStartWritesThemOnce() async throws {
        let clock = ManualClock(epoch: S.origin + .seconds(600))
        let url = try #require(try PostgresTestDatabase.url)
        let proxy = try LoopbackTCPProxy(targetPort: url.port)
        var proxied = url
        proxied.port = proxy.port
        let schema = PostgresTestDatabase.freshSchema()
        let direct = try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: clock)
        try await direct.prepare()
        let home = try TemporaryDirectory()
        let spill: String
        do {
            let collector = try Self.runtime(url: proxied, schema: schema, home: home, clock: clock)
            spill = try #require(collector.writer.current.spillPath, "a collector on PostgreSQL has a spill file")
            #expect(spill.hasPrefix(home.path("state") + "/ticktop/"), "in the state directory: \(spill)")
            let writing = Task { await collector.writer.run() }
            collector.writer.submit(StoreBatch(bars: [S.bar(0), S.bar(1)]))
            await collector.writer.flushed()
            await Self.retryUntilWritten(collector.writer, clock: clock)
            #expect(collector.writer.current.rowsWritten == 2)

            proxy.cut()  // PostgreSQL stops
            collector.writer.submit(StoreBatch(bars: [S.bar(1), S.bar(2), S.bar(3)]))  // bar 1 again: stored already
            await collector.writer.flushed()
            let failing = collector.writer.current
            #expect(failing.failureCause == "store unreachable")
            #expect(failing.failingSince == clock.now())
            #expect(failing.rowsWaiting == 3)

            // Back: a retry after the backoff writes what waited, once the pool has connected again
            // (its own backoff runs on real time: a retry before that fails like the others).
            try proxy.restore()
            await Self.retryUntilWritten(collector.writer, clock: clock)
            let recovered = collector.writer.current
            #expect(recovered.failingSince == nil && recovered.barsInserted == 4 && recovered.barsAlreadyStored == 1)

            proxy.cut()  // stops again, and the collector stops during this outage
            collector.writer.submit(StoreBatch(bars: [S.bar(4), S.bar(5)]))
            collector.writer.finish()
            await writing.value
            #expect(collector.writer.current.rowsSpilled == 2)
            #expect(FileManager.default.fileExists(atPath: spill), "kept for the next start")
        }

        try proxy.restore()  // PostgreSQL is back, and the collector starts again
        let collector = try Self.runtime(url: proxied, schema: schema, home: home, clock: clock)
        #expect(collector.writer.current.spillPath == spill, "the next start finds what the last one kept")
        let writing = Task { await collector.writer.run() }
        await collector.writer.flushed()
        await Self.retryUntilWritten(collector.writer, clock: clock)
        let statistics = collector.writer.current
        #expect(statistics.rowsWaiting == 0 && statistics.failingSince == nil)
        #expect(statistics.barsInserted == 2)
        #expect(!FileManager.default.fileExists(atPath: spill))
        collector.writer.finish()
        await writing.value

        let stored = try await direct.bars(
            symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
        #expect(stored.map(\.start) == (0..<6).map { S.bar($0).start }, "every bar once")
        proxy.cut()
        try await direct.dropSchema()
    }
}

/// A store that reaches the test server through a proxy the test can cut, migrated over a
/// connection of its own (its pool has none yet), and the same schema reached directly.
private struct ProxiedStore {
    let proxy: LoopbackTCPProxy
    let direct: PostgresStore
    let store: PostgresStore

    init(operationTimeout: Duration = .seconds(90)) async throws {
        let url = try #require(try PostgresTestDatabase.url)
        proxy = try LoopbackTCPProxy(targetPort: url.port)
        var proxied = url
        proxied.port = proxy.port
        let schema = PostgresTestDatabase.freshSchema()
        direct = try PostgresStore(url: url, tls: .disable, schema: schema)
        store = try PostgresStore(url: proxied, tls: .disable, schema: schema, operationTimeout: operationTimeout)
        try await store.prepare()
    }

    /// Cuts the proxy, closes the store and drops the schema.
    func end() async throws {
        proxy.cut()
        await store.close()
        try await direct.dropSchema()
    }
}
