import Collector
import CollectorTestSupport
import Foundation
import GRDB
import Testing

/// `ticktop db backup`, `restore` and `check` on real files in a temporary directory.
@Suite("Database file: backup, restore, check")
struct DatabaseFileTests {
    typealias S = StoreSamples

    /// A store at `name` in `directory` holding `count` minute bars of AAPL.
    static func store(_ directory: TemporaryDirectory, _ name: String = "ticktop.sqlite", bars count: Int) async throws
        -> SQLiteStore
    {
        let store = try SQLiteStore(path: directory.path(name), timeSource: FixedTimeSource(S.origin))
        try await store.write(StoreBatch(bars: (0..<count).map { S.bar($0) }))
        return store
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aBackupOfAnOpenStoreHoldsEverythingCommittedAndReadsBack() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-backup")
        let store = try await Self.store(directory, bars: 500)
        let file = DatabaseFile(path: store.path)
        let report = try file.backup(to: directory.path("backup.sqlite"))
        #expect(report.pages > 0)
        // The store stays usable and what it writes afterwards is not in the backup.
        try await store.write(StoreBatch(bars: [S.bar(600)]))

        let copy = try SQLiteStore(path: directory.path("backup.sqlite"))
        #expect(try await copy.barCount(symbol: S.aapl, timeframe: .oneMinute) == 500)
        #expect(try DatabaseFile(path: directory.path("backup.sqlite")).check().isIntact)
        // A standalone file: no write-ahead log left beside it.
        #expect(!FileManager.default.fileExists(atPath: directory.path("backup.sqlite.partial")))
    }

    @Test func aBackupNeverReplacesAnExistingFile() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-backup")
        let store = try await Self.store(directory, bars: 3)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: directory.path("taken.sqlite")))
        #expect(throws: StoreError.self) { try DatabaseFile(path: store.path).backup(to: directory.path("taken.sqlite")) }
        #expect(try Self.bytes(directory.path("taken.sqlite")) == Data("keep me".utf8))
    }

    @Test func restoreSwapsInTheBackupAndKeepsTheReplacedDatabase() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-restore")
        let backupStore = try await Self.store(directory, "backup.sqlite", bars: 10)
        _ = backupStore
        let target = directory.path("ticktop.sqlite")
        do { _ = try await Self.store(directory, bars: 3) }  // closed again before the restore

        let report = try DatabaseFile(path: target).restore(from: directory.path("backup.sqlite"), now: S.origin)
        let kept = try #require(report.previous)
        #expect(kept == target + ".before-restore-20260101T000000Z")
        #expect(try await SQLiteStore(path: target).barCount(symbol: S.aapl, timeframe: .oneMinute) == 10)
        #expect(try await SQLiteStore(path: kept).barCount(symbol: S.aapl, timeframe: .oneMinute) == 3)
        #expect(!FileManager.default.fileExists(atPath: target + ".restoring"))
    }

    @Test(arguments: ["garbage", "foreign", "missing"])
    func restoreRefusesABadBackupAndTouchesNothing(kind: String) async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-restore")
        let target = directory.path("ticktop.sqlite")
        do { _ = try await Self.store(directory, bars: 3) }
        let before = try Self.bytes(target)
        let backup = directory.path("backup.sqlite")
        switch kind {
        case "garbage": try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: backup))
        case "foreign":
            let other = try DatabaseQueue(path: backup)
            try await other.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')")
            }
            try other.close()
        default: break
        }
        let foreignBefore = try? Self.bytes(backup)
        #expect(throws: StoreError.self) { try DatabaseFile(path: target).restore(from: backup, now: S.origin) }
        #expect(try Self.bytes(target) == before)
        #expect((try? Self.bytes(backup)) == foreignBefore)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains("restor") }
        #expect(leftovers.isEmpty)
    }

    @Test func restoreRefusesADatabaseThatAStoreHasOpen() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-restore")
        do { _ = try await Self.store(directory, "backup.sqlite", bars: 10) }
        let running = try await Self.store(directory, bars: 3)
        let error = #expect(throws: StoreError.self) {
            try DatabaseFile(path: running.path).restore(from: directory.path("backup.sqlite"), now: S.origin)
        }
        #expect(error?.detail.contains("in use by another ticktop process") == true)
        #expect(try await running.barCount(symbol: S.aapl, timeframe: .oneMinute) == 3)
    }

    @Test func checkReportsIntegrityTablesAndEachSeries() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-check")
        let store = try await Self.store(directory, bars: 4)
        try await store.write(StoreBatch(bars: [S.bar(0, symbol: S.msft, source: S.yahoo), S.bar(0, source: S.yahoo)]))
        let health = try DatabaseFile(path: store.path).check()
        #expect(health.isIntact)
        #expect(health.rows["bars"] == 6)
        #expect(health.migrations.first == "v1")
        #expect(health.series.map(\.symbol) == ["AAPL", "MSFT"])
        let aapl = try #require(health.series.first)
        #expect(aapl.bars == 5)
        #expect(aapl.starts == (0..<4).map { S.origin + .seconds(60 * $0) })
        #expect((aapl.first, aapl.last) == (S.origin, S.origin + .seconds(180)))
    }

    @Test func checkRefusesAFileThatIsNotTicktops() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-check")
        let path = directory.path("other.sqlite")
        let other = try DatabaseQueue(path: path)
        try other.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try other.close()
        let error = #expect(throws: StoreError.self) { try DatabaseFile(path: path).check() }
        #expect(error?.detail.contains("not a ticktop database") == true)
    }
}
