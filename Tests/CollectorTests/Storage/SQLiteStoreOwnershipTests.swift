import CollectorTestSupport
import Foundation
import GRDB
import Synchronization
import Testing

@testable import Collector

/// ticktop changes only its own databases (recognised by `PRAGMA application_id`)
/// and read-only opens change nothing.
@Suite("SQLiteStore ownership")
struct SQLiteStoreOwnershipTests {
    typealias S = StoreSamples

    private func applicationID(_ path: String) throws -> Int32? {
        var configuration = Configuration()
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { db in
            try Int32.fetchOne(db, sql: "PRAGMA application_id")
        }
    }

    @Test func anotherProgramsDatabaseIsRefusedAndLeftByteForByteAsItWas() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("notes.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(
                    sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')")
            }
            try queue.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)

        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.kind == .notTicktop)
        #expect(
            error?.description.contains(
                "cannot open the database at \(path): it is not a ticktop database (no application id; tables: notes) and was left untouched"
            ) == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == listing, "no -wal or -shm file")

        let readOnly = #expect(throws: StoreError.self) { try SQLiteStore(path: path, readOnly: true) }
        #expect(readOnly?.kind == .notTicktop)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aDatabaseWithAnotherApplicationIDIsRefused() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("other.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(
                    sql:
                        "PRAGMA application_id = 1234; CREATE TABLE bars (x); CREATE TABLE latest_quotes (y); CREATE TABLE grdb_migrations (identifier TEXT)"
                )
            }
            try queue.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error?.kind == .notTicktop)
        #expect(error?.description.contains("application id 0x4D2") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aNewDatabaseIsMarkedAndAnOlderTicktopDatabaseIsAdopted() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try await store.write(StoreBatch(bars: [S.bar(1)]))
            // As written by a ticktop from before the application id.
            try await store.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = 0") }
        }
        #expect(try applicationID(path) == 0)
        let adopted = try SQLiteStore(path: path)
        #expect(try await adopted.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 5) == [S.bar(1)])
        #expect(try applicationID(path) == SQLiteStore.applicationID)
    }

    @Test func aReadOnlyOpenWorksOnAReadOnlyFileAndChangesNothing() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try await store.write(StoreBatch(bars: [S.bar(1), S.bar(2)]))
            // As left by an older ticktop: without the newest migration.
            try await store.pool.writeWithoutTransaction { db in
                try db.execute(sql: "DROP TABLE health_transitions; DELETE FROM grdb_migrations WHERE identifier = 'v3'")
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let (store, _) = try CollectorRuntime.openStore(
            StoreConfiguration(), databasePath: path, environment: [:], readOnly: true)
        #expect(try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 5) == [S.bar(1), S.bar(2)])
        let error = await #expect(throws: StoreError.self) { try await store.write(StoreBatch(bars: [S.bar(3)])) }
        #expect(error?.description.contains("readonly") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "not migrated, not marked")
    }

    @Test func aReadOnlyOpenOfAMissingDatabaseSaysSoAndCreatesNothing() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("sub/store.sqlite")
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path, readOnly: true) }
        #expect(error?.kind == .missing)
        #expect(
            error?.description
                == "cannot open the database at \(path): there is no database file there (nothing has been stored at this path yet)"
        )
        #expect(!FileManager.default.fileExists(atPath: directory.path("sub")))
    }

    /// Read-only commands (`history`, `db check`, `db export`) leave no `-wal`/`-shm` file that was
    /// not there; a database another connection has open keeps its files (SQLite's own check).
    @Test func readOnlyOpensLeaveNoWriteAheadLogFilesBehind() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try await store.write(StoreBatch(bars: [S.bar(1), S.bar(2)]))
        }
        let listing = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted()
        #expect(listing == ["store.sqlite"])

        do {
            let store = try SQLiteStore(path: path, readOnly: true)
            #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 2)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == listing, "history")
        let file = DatabaseFile(path: path)
        #expect(try file.check().isIntact)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == listing, "db check")
        var lines = 0
        try DatabaseExport(table: .bars, format: .csv).run(on: file) { _ in lines += 1 }
        #expect(lines == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == listing, "db export")
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: directory.path("notes.txt"), readOnly: true) }
        #expect(error?.kind == .missing)

        // While a writer has the database open, its files stay and it goes on writing.
        let writer = try SQLiteStore(path: path)
        try await writer.write(StoreBatch(bars: [S.bar(3)]))
        do {
            let reader = try SQLiteStore(path: path, readOnly: true)
            #expect(try await reader.barCount(symbol: S.aapl, timeframe: .oneMinute) == 3)
        }
        #expect(try file.check().isIntact)
        #expect(FileManager.default.fileExists(atPath: path + "-wal") && FileManager.default.fileExists(atPath: path + "-shm"))
        try await writer.write(StoreBatch(bars: [S.bar(4)]))
        #expect(try await writer.barCount(symbol: S.aapl, timeframe: .oneMinute) == 4)
    }
}

extension SQLiteStoreOwnershipTests {
    /// Another program reading the database (a script's `sqlite3` query, `ticktop history` in
    /// another terminal) must not make ticktop fail to start: when its last connection closes, it
    /// checkpoints and removes the -wal file under an exclusive lock, and an open that checked
    /// the file with no busy timeout failed at once with "database is locked" (1 start in 8 by
    /// hand beside a reading loop). Opens, read-write and read-only, wait for the lock instead.
    @Test func opensWaitForAnotherProgramsReadsInsteadOfFailing() throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-ownership")
        defer { directory.remove() }
        let path = directory.path("ticktop.sqlite")
        _ = try SQLiteStore(path: path)
        let stop = Mutex(false)
        let reads = Mutex(0)
        let reader = Thread {
            while !stop.withLock({ $0 }) {
                var configuration = Configuration()
                configuration.busyMode = .timeout(5)
                if let queue = try? DatabaseQueue(path: path, configuration: configuration) {
                    _ = try? queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM bars") }
                    try? queue.close()
                    reads.withLock { $0 += 1 }
                }
            }
        }
        reader.start()
        defer { stop.withLock { $0 = true } }
        var failures: [String] = []
        for attempt in 0..<120 {
            do {
                _ = try SQLiteStore(path: path, readOnly: attempt % 2 == 1)
            } catch {
                failures.append("open \(attempt): \(error)")
            }
        }
        #expect(reads.withLock { $0 } > 0, "the other program read while the store opened")
        #expect(failures.count == 0, "opens failed: \(failures.prefix(3))")
    }
}
