import CollectorTestSupport
import GRDB
import Testing

@testable import Collector

/// The SQLite tape's layout (migration `tape-batches`): `ticks` with no per-row index, one
/// `tape_batches` row per write, and the conversion of a tape recorded in the first layout.
@Suite("Tape layout")
struct TapeLayoutTests {
    typealias S = StoreSamples

    static func trade(_ symbol: Symbol, at seconds: Int64, price: Double, source: SourceID = S.alpaca) -> Tick {
        let time = S.origin + .seconds(seconds)
        return Tick(kind: .trade, symbol: symbol, source: source, exchangeTime: time, receivedAt: time, price: price, size: 1)
    }

    @Test func eachWriteAddsOneBatchOfItsRowidAndTimeRanges() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-tape-layout")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        try await store.writeTicks([Self.trade(S.aapl, at: 5, price: 1), Self.trade(S.msft, at: 2, price: 2)])
        try await store.writeTicks([Self.trade(S.aapl, at: 9, price: 3)])
        let (batches, indexes) = try await store.pool.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT first_rowid, last_rowid, first_time, last_time FROM tape_batches ORDER BY 1")
                    .map { [$0[0], $0[1], $0[2], $0[3]] as [Int64] },
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticks'")
            )
        }
        let t = { (seconds: Int64) in (S.origin + .seconds(seconds)).nanoseconds }
        #expect(batches == [[1, 2, t(2), t(5)], [3, 3, t(9), t(9)]])
        #expect(indexes.isEmpty)
    }

    /// A prune that deletes the last rows of a batch it keeps (their times are older than the
    /// batch's newest) must not let the next write reuse their rowids: they would lie in two
    /// batches' ranges and be read twice.
    @Test func aWriteAfterAPruneNeverReusesTheRowidsOfAKeptBatch() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-tape-layout")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        let kept = Self.trade(S.aapl, at: 100, price: 1)
        try await store.writeTicks([kept, Self.trade(S.aapl, at: 5, price: 2)])
        #expect(try DatabasePrune(cutoff: S.origin + .seconds(50)).delete(in: DatabaseFile(path: store.path)).ticks == 1)
        let later = Self.trade(S.aapl, at: 200, price: 3)
        try await store.writeTicks([later])
        #expect(try await store.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 10) == [kept, later])
    }

    @Test func aPruneDeletesTheBatchesItEmptied() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-tape-layout")
        defer { directory.remove() }
        let store = try SQLiteStore(path: directory.path("t.sqlite"))
        try await store.writeTicks([Self.trade(S.aapl, at: 1, price: 1)])
        try await store.writeTicks([Self.trade(S.aapl, at: 60, price: 2)])
        _ = try DatabasePrune(cutoff: S.origin + .seconds(30)).delete(in: DatabaseFile(path: store.path))
        let batches = try await store.pool.read { db in try Int64.fetchAll(db, sql: "SELECT first_rowid FROM tape_batches") }
        #expect(batches == [2])
    }

    /// A tape recorded in the first layout (`tape`: a per-symbol index, no batches) is converted
    /// when the store opens it: the index goes, its rows get batches, reads and new writes work.
    @Test func aTapeInTheFirstLayoutIsMigrated() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-tape-layout")
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        // 2,500 rows over two symbols and two sources, written as the first layout's writer did.
        let old: [Tick] = (0..<2_500).map { (n: Int) -> Tick in
            let symbol: Symbol = n % 3 == 0 ? S.msft : S.aapl
            let source: SourceID = n % 2 == 0 ? S.alpaca : S.yahoo
            return Self.trade(symbol, at: Int64(n), price: Double(n), source: source)
        }
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "tape")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO tape_symbols (id, symbol) VALUES (1, 'AAPL'), (2, 'MSFT')")
                try db.execute(sql: "INSERT INTO tape_sources (id, source) VALUES (1, 'alpaca'), (2, 'yahoo')")
                for tick in old {
                    let symbolID: Int64 = tick.symbol == S.msft ? 2 : 1
                    let sourceID: Int64 = tick.source == S.alpaca ? 1 : 2
                    try db.execute(
                        sql: """
                            INSERT INTO ticks (symbol_id, source_id, kind, exchange_time, delay, price, size)
                            VALUES (?, ?, 1, ?, 0, ?, 1)
                            """,
                        arguments: [symbolID, sourceID, tick.exchangeTime.nanoseconds, tick.price])
                }
            }
            try queue.close()
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.appliedMigrations().last == "tape-batches")
        let (batches, indexes) = try await store.pool.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT first_rowid, last_rowid FROM tape_batches ORDER BY 1")
                    .map { [$0[0], $0[1]] as [Int64] },
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ticks'")
            )
        }
        #expect(batches == [[1, 1023], [1024, 2047], [2048, 2500]])
        #expect(indexes.isEmpty)
        let aapl = old.filter { $0.symbol == S.aapl }
        #expect(try await store.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 10_000) == aapl)
        #expect(try await store.ticks(symbol: S.msft, source: S.yahoo, in: S.everything, limit: 3)
            == Array(old.filter { $0.symbol == S.msft && $0.source == S.yahoo }.suffix(3)))
        let range = (S.origin + .seconds(1_000))...(S.origin + .seconds(1_100))
        let inRange = aapl.filter { range.contains($0.exchangeTime) }
        #expect(try await store.ticks(symbol: S.aapl, source: nil, in: range, limit: 10_000) == inRange)
        // A new write goes after the converted rows, as a batch of its own.
        let new = Self.trade(S.aapl, at: 3_000, price: 1)
        try await store.writeTicks([new])
        #expect(try await store.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 2) == [aapl.last!, new])
    }

    /// A database with the first layout opened read-only (not migrated) still reads its tape.
    @Test func aTapeInTheFirstLayoutReadsWithoutMigrating() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-tape-layout")
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteStore.migrator.migrate(queue, upTo: "tape")
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO tape_symbols (id, symbol) VALUES (1, 'AAPL')")
                try db.execute(sql: "INSERT INTO tape_sources (id, source) VALUES (1, 'alpaca')")
                for n in 0..<3 {
                    try db.execute(
                        sql: """
                            INSERT INTO ticks (symbol_id, source_id, kind, exchange_time, delay, price, size)
                            VALUES (1, 1, 1, ?, 0, ?, 1)
                            """,
                        arguments: [(S.origin + .seconds(Int64(n))).nanoseconds, Double(n)])
                }
            }
            try queue.close()
        }
        let store = try SQLiteStore(path: path, readOnly: true)
        #expect(try await store.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 2) == [
            Self.trade(S.aapl, at: 1, price: 1), Self.trade(S.aapl, at: 2, price: 2)
        ])
    }
}
