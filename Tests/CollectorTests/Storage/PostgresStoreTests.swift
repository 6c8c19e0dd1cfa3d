import CollectorTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import Collector

/// What only the PostgreSQL store does: migrations shared by processes, bulk writes, errors that
/// never show the password, and a budget shared by two stores. Needs `TICKTOP_TEST_POSTGRES_URL`.
@Suite(
    "PostgresStore",
    .enabled(
        if: PostgresTestDatabase.isConfigured,
        Comment(rawValue: PostgresTestDatabase.skipReason)),
    .timeLimit(.minutes(1)))
struct PostgresStoreTests {
    typealias S = StoreSamples

    /// A store in a fresh schema of the test database, and a second one on the same schema (another process).
    static func stores(_ count: Int = 1, timeSource: any TimeSource = FixedTimeSource()) throws -> [PostgresStore] {
        let url = try #require(try PostgresTestDatabase.url)
        let schema = PostgresTestDatabase.freshSchema()
        return try (0..<count).map { _ in try PostgresStore(url: url, tls: .disable, schema: schema, timeSource: timeSource) }
    }

    @Test func migrationsRunOnceAndASecondProcessSeesTheRows() async throws {
        let stores = try Self.stores(2)
        let bars = (0..<3).map { S.bar($0) }
        try await stores[0].write(StoreBatch(bars: bars))
        let migrations = ["v1", "request-ledger", "change-feed", "fleet-leases", "fleet-hand-overs"]
        #expect(try await stores[0].appliedMigrations() == migrations)
        #expect(try await stores[1].appliedMigrations() == migrations)
        #expect(try await stores[1].bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything) == bars)
        await stores[1].close()
        try await stores[0].dropSchema()
    }

    @Test func aDatabaseMigratedByANewerBuildIsRefused() async throws {
        let stores = try Self.stores(2)
        try await stores[0].prepare()
        let logger = stores[0].logger
        _ = try await stores[0].client.query(
            "INSERT INTO \(unescaped: stores[0].schema!).ticktop_migrations (name, applied_order) VALUES ('v99-future', 99)",
            logger: logger)
        await #expect {
            try await stores[1].latestQuotes()
        } throws: { error in
            (error as? StoreError)?.kind == .newerSchema(unknownMigrations: ["v99-future"])
                && String(describing: error).contains("written by a newer ticktop")
        }
        await stores[1].close()
        try await stores[0].dropSchema()
    }

    @Test func aWrongPasswordIsReportedWithoutShowingIt() async throws {
        var url = try #require(try PostgresTestDatabase.url)
        url = try PostgresURL("postgres://\(url.user):wrong-hunter22@\(url.host ?? "127.0.0.1"):\(url.port)/\(url.database)")
        let store = try PostgresStore(url: url, tls: .disable)
        await #expect {
            try await store.write(StoreBatch(bars: [S.bar(1)]))
        } throws: { error in
            let message = String(describing: error)
            return (error as? StoreError)?.kind == .server(sqlState: "28P01") && !message.contains("hunter22")
                && message.contains("postgres://\(url.user):***@") && message.contains("password authentication failed")
        }
        await store.close()
    }

    @Test func aServerThatDoesNotListenIsUnreachable() async throws {
        let store = try PostgresStore(url: try PostgresURL("postgres://desk:hunter22@127.0.0.1:1/ticks"), tls: .disable)
        await #expect {
            try await store.latestQuotes()
        } throws: { error in
            (error as? StoreError)?.kind == .unreachable && (error as? StoreError)?.cause == "store unreachable"
                && !String(describing: error).contains("hunter22")
        }
        await store.close()
    }

    /// 20,000 bars in one write, by COPY: values awkward in text (binary fractions, tiny and huge
    /// numbers, negative zero) come back bit for bit; text with tabs, newlines and backslashes too.
    @Test func aLargeBatchGoesInWholeAndExactly() async throws {
        let store = try #require(try Self.stores().first)
        var generator = SplitMix64(seed: 16)
        let awkward: [Double] = [0.1 + 0.2, 1e-9, 123_456_789.123_456_78, .leastNonzeroMagnitude, 1.797e308, -0.0]
        let bars = (0..<20_000).map { minute in
            var bar = S.bar(minute, symbol: minute.isMultiple(of: 2) ? S.aapl : S.msft)
            bar.close = awkward[minute % awkward.count]
            bar.volume = Double(generator.next() % 1_000_000) / 7
            return bar
        }
        let result = try await store.write(StoreBatch(bars: bars))
        #expect(result.barsInserted == 20_000 && result.barsAlreadyStored == 0)
        let stored = try await store.bars(symbol: S.msft, timeframe: .oneMinute, source: nil, in: S.everything)
        let expected = bars.filter { $0.symbol == S.msft }
        #expect(stored == expected)
        #expect(zip(stored, expected).allSatisfy { $0.close.bitPattern == $1.close.bitPattern })

        let text = "a\tb\nc\\d \r e \\N"
        var anomaly = S.anomaly("stale", detectedAt: 1, subject: .bar(bars[0]))
        anomaly.message = text
        let transition = HealthTransition(source: S.alpaca, from: .streaming, to: .down, detail: text, at: S.origin)
        try await store.write(StoreBatch(anomalies: [anomaly], transitions: [transition]))
        #expect(try await store.recentAnomalies(limit: 1).map(\.message) == [text])
        #expect(try await store.recentTransitions(limit: 1) == [transition])
        try await store.dropSchema()
    }

    /// New bars are copied straight into `bars`. A write holding a bar stored already has that copy
    /// refused by the key: its transaction is rolled back and the write runs again with its bars
    /// staged (the revision kept, the rest of the batch written, nothing copied twice); the next
    /// write stages, and once a staged write finds all its bars new, writes copy again.
    @Test func aCopyRefusedByAStoredBarFallsBackToStagingInTheSameWrite() async throws {
        let store = try #require(try Self.stores().first)
        try await store.write(StoreBatch(bars: [S.bar(0), S.bar(1)]))
        #expect(store.barPath.tryCopyFirst)

        let revised = S.bar(1, close: 150)
        let quote = S.quote(bid: 101, receivedAt: 90)
        let result = try await store.write(StoreBatch(quotes: [quote], bars: [S.bar(2), revised, S.bar(3)]))
        #expect(result.barsInserted == 2 && result.barsRevised == 1 && result.barsAlreadyStored == 0)
        #expect(result.quotesWritten == 1)
        #expect(!store.barPath.tryCopyFirst, "after a refused copy, the next write stages")
        #expect(try await store.latestQuotes() == [quote])
        let revisions = try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything)
        #expect(revisions.map(\.bar) == [S.bar(1)])

        #expect(try await store.write(StoreBatch(bars: [S.bar(4)])).barsInserted == 1)
        #expect(store.barPath.tryCopyFirst, "a staged write of new bars only: the next one copies")
        #expect(try await store.write(StoreBatch(bars: [S.bar(5), S.bar(5, close: 160)])).barsInserted == 1)
        let stored = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
        #expect(stored == [S.bar(0), revised, S.bar(2), S.bar(3), S.bar(4), S.bar(5, close: 160)])
        try await store.dropSchema()
    }

    /// A copy sent in several chunks and refused by a bar in its last one (the server's error
    /// arrives while later chunks are sent) falls back all the same: every bar once, the
    /// revision kept, and the write's change number on every row it stored.
    @Test func aCopyRefusedInItsLastChunkFallsBackAllTheSame() async throws {
        let store = try #require(try Self.stores().first)
        let count = 3 * PostgresCopyText.chunkBytes / 40  // bars are over 40 bytes a row: more than three chunks
        try await store.write(StoreBatch(bars: [S.bar(count - 1)]))
        let bars = (0..<count - 1).map { S.bar($0) } + [S.bar(count - 1, close: 150)]
        let result = try await store.write(StoreBatch(bars: bars))
        #expect(result.barsInserted == count - 1 && result.barsRevised == 1 && result.barsAlreadyStored == 0)
        #expect(!store.barPath.tryCopyFirst)
        let stored = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
        #expect(stored == bars)
        try await store.dropSchema()
    }

    /// Two stores (two collectors) reserving from one account at once never exceed its limit:
    /// each reservation holds the account's lock for its transaction.
    @Test func twoProcessesShareOneBudget() async throws {
        let stores = try Self.stores(2)
        let limit = RateLimit(requests: 5, per: .seconds(60))
        let at = S.origin
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<16 {
                let store = stores[index % 2]
                group.addTask {
                    try await store.reserveRequest(account: "polygon:KEY", at: at + .milliseconds(index), within: limit) == nil
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 5)
        #expect(try await stores[1].requestTimes(account: "polygon:KEY", since: at - .seconds(1)).count == 5)
        await stores[1].close()
        try await stores[0].dropSchema()
    }

    @Test func theConfiguredStoreOpensFromTheEnvironmentAndNamesItselfWithoutThePassword() async throws {
        let environment = ["TICKTOP_PG": try #require(ProcessInfo.processInfo.environment[PostgresTestDatabase.variable])]
        let (store, location) = try CollectorRuntime.openStore(
            StoreConfiguration(kind: .postgres, urlEnvironment: "TICKTOP_PG", tls: .disable), databasePath: nil,
            environment: environment)
        let url = try #require(try PostgresTestDatabase.url)
        let password = try #require(url.password)
        #expect(location == url.redacted && !location.contains(password))
        #expect(store is PostgresStore)
        await (store as? PostgresStore)?.close()
    }
}
