import CollectorTestSupport
import Foundation
import GRDB
import Testing

@testable import Collector

/// What only the SQLite store does: files, migrations, durability settings, errors.
@Suite("SQLiteStore")
struct SQLiteStoreTests {
    typealias S = StoreSamples

    /// Issue 13: a last-trade quote (no bid, ask or sizes) is stored with those columns NULL
    /// (migration nullable-quote-sides), not made up, and reads back the same.
    @Test func aLastTradeQuoteIsStoredWithoutMadeUpSides() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.sqlite"))
        let quote = Quote(
            lastTrade: MarketFixtures.symbol("AAPL"), source: "finnhub", price: 211.42,
            exchangeTime: Timestamp(seconds: 1_709_672_401), receivedAt: Timestamp(seconds: 1_709_672_402))
        try await store.write(StoreBatch(quotes: [quote]))
        let stored = try await store.latestQuotes()
        #expect(stored == [quote])
        #expect(stored.first?.bid == nil && stored.first?.askSize == nil)
    }

    @Test func dataSurvivesReopeningAndMigrationsRunOnce() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let path = directory.path("nested/deeper/store.sqlite")
        let bars = (0..<3).map { S.bar($0) }
        let quote = S.quote(bid: 10, receivedAt: 5, last: 10)
        let anomaly = S.anomaly("stale", detectedAt: 2, subject: .quote(quote))
        do {
            let store = try SQLiteStore(path: path)
            try await store.write(StoreBatch(quotes: [quote], bars: bars, anomalies: [anomaly]))
        }
        #expect(FileManager.default.fileExists(atPath: path))

        let reopened = try SQLiteStore(path: path)
        #expect(
            try await reopened.appliedMigrations() == [
                "v1", "v2", "v3", "request-ledger", "bar-revisions", "nullable-quote-sides", "replay-identity", "tape",
                "tape-batches"
            ])
        let rows = try await reopened.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = 'v1'")
        }
        #expect(rows == 1)
        #expect(try await reopened.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10) == bars)
        #expect(try await reopened.latestQuotes() == [quote])
        #expect(try await reopened.recentAnomalies(limit: 10) == [anomaly])
        #expect(try await reopened.write(StoreBatch(bars: bars)).barsAlreadyStored == 3)
    }

    @Test(arguments: SQLiteStore.Synchronous.allCases)
    func synchronousModeIsApplied(mode: SQLiteStore.Synchronous) async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("store.sqlite"), synchronous: mode)
        let (journal, synchronous) = try await store.pool.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(synchronous == (mode == .full ? 2 : 1))
    }

    @Test func aFileThatIsNotADatabaseGivesAClearError() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let path = directory.path("garbage.sqlite")
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        try garbage.write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.kind == .notADatabase)
        #expect(error?.description.hasPrefix("cannot open the database at \(path): ") == true)
    }

    @Test func aDatabaseFromANewerBuildIsRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
            }
        }
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.kind == .newerSchema(unknownMigrations: ["v99-from-the-future"]))
        #expect(error?.description.contains("cannot migrate the database at \(path)") == true)
        #expect(error?.description.contains("newer") == true)
    }

    @Test func aPathBelowAFileCannotBeCreated() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let blocker = directory.path("plain-file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/sub/store.sqlite"

        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.kind == .cannotCreateDirectory)
        #expect(error?.operation == .open)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("\(blocker) is a file, not a directory") == true)
    }

    @Test func aDirectoryAtThePathCannotBeOpened() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-sqlite-test")
        defer { directory.remove() }
        let path = directory.path("a-directory")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)

        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.operation == .open)
        #expect(error?.description.hasPrefix("cannot open the database at \(path): ") == true)
    }
}
