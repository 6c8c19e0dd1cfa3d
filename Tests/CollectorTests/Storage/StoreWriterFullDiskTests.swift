import CollectorTestSupport
import Foundation
import GRDB
import Logging
import Testing

@testable import Collector

/// A full disk without root tricks: `PRAGMA max_page_count` on the store's writer
/// connection makes the database full (SQLITE_FULL, as on a full disk); raising it
/// again is room coming back.
@Suite("StoreWriter on a full database", .timeLimit(.minutes(1)))
struct StoreWriterFullDiskTests {
    typealias S = StoreSamples

    /// Batch `index`: 200 one-minute bars of AAPL (even index) or MSFT (odd), more than a page holds.
    private func batch(_ index: Int) -> StoreBatch {
        let symbol = index.isMultiple(of: 2) ? S.aapl : S.msft
        return StoreBatch(bars: (0..<200).map { S.bar(index * 200 + $0, symbol: symbol) })
    }

    /// Caps the database at its current size (nil: no cap beyond SQLite's default).
    private func setFull(_ store: SQLiteStore, _ full: Bool) async throws {
        try await store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            try db.execute(sql: "PRAGMA max_page_count = \(full ? pages : 1_073_741_823)")
        }
    }

    private func storedBars(_ store: some MarketStore) async throws -> Int {
        try await store.barCount(symbol: S.aapl, timeframe: .oneMinute)
            + store.barCount(symbol: S.msft, timeframe: .oneMinute)
    }

    @Test func rowsAreKeptWhileTheDiskIsFullAndWrittenWhenThereIsRoomAgain() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-full-disk")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        let store = try SQLiteStore(path: path)
        try await setFull(store, true)
        let clock = ManualClock()
        let log = LogRecorder(minimum: .info)
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock, spillFor: path,
            retention: .init(logSummaryInterval: .seconds(10)), logger: log.logger)
        let running = Task { await writer.run() }

        for index in 0..<10 { writer.submit(batch(index)) }
        await ManualClock.wait { (writer.current.rowsWaiting == 2000) || Task.isCancelled }
        #expect(writer.current.failureCause == "disk full")
        #expect(writer.current.failingSince == clock.epoch)
        #expect(try await storedBars(store) == 0)

        // Retries back off (1, 2, 4, 8 s) and keep failing; the log says so once, then
        // sums up at most every 10 s, not once per attempt or batch.
        var index = 10
        for (attempt, backoff) in [1, 2, 4, 8].enumerated() {
            clock.advance(by: .seconds(backoff))
            writer.submit(batch(index))
            index += 1
            let waiting = index * 200
            await ManualClock.wait {
                (writer.current.failures == attempt + 2 && writer.current.rowsWaiting == waiting) || Task.isCancelled
            }
        }
        #expect(log.messages.count == 2)
        #expect(log.messages.first?.contains("store writes fail (disk full)") == true)
        // (The flush timer and the batch race to make the due retry: the count waiting may be 2,600 or 2,800.)
        #expect(log.messages.last?.contains("store writes still fail since \(clock.epoch) (disk full): ") == true)

        try await setFull(store, false)
        clock.advance(by: .seconds(16))
        writer.submit(batch(index))
        index += 1
        await ManualClock.wait { (writer.current.rowsWaiting == 0) || Task.isCancelled }
        #expect(try await storedBars(store) == index * 200)
        let statistics = writer.current
        #expect(!statistics.isFailing && statistics.failureCause == nil && statistics.rowsDropped == 0)
        // 16 s later the batch may sum up once more before the retry that works (or the timer retries first).
        #expect((3...4).contains(log.messages.count))
        #expect(
            log.messages.last?.contains(
                "store writes work again after failing since \(clock.epoch) (disk full, 5 failed attempts)") == true)

        writer.finish()
        await running.value
        #expect(!FileManager.default.fileExists(atPath: path + ".spill.jsonl"))
    }

    @Test func rowsStillWaitingAtTheEndAreSpilledAndWrittenAtTheNextStart() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-full-disk")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        let spill = path + ".spill.jsonl"
        do {
            let store = try SQLiteStore(path: path)
            try await setFull(store, true)
            // Memory holds 300 rows: the second and fourth batch move everything to the spill file.
            let writer = StoreWriter(
                store: store, batchSize: 1, flushInterval: .seconds(3600), clock: ManualClock(), spillFor: path,
                retention: .init(memoryRows: 300), logger: LogRecorder().logger)
            for index in 0..<4 { writer.submit(batch(index)) }
            writer.finish()
            await writer.run()
            let statistics = writer.current
            #expect(statistics.rowsWaiting == 800 && statistics.rowsSpilled == 800 && statistics.rowsDropped == 0)
            #expect(statistics.spillPath == spill)
            #expect(try await storedBars(store) == 0)
        }
        #expect(FileManager.default.fileExists(atPath: spill))

        let store = try SQLiteStore(path: path)
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(3600), clock: ManualClock(), spillFor: path,
            logger: LogRecorder().logger)
        writer.finish()
        await writer.run()
        #expect(try await storedBars(store) == 800)
        #expect(
            try await store.recentBars(symbol: S.msft, timeframe: .oneMinute, source: nil, limit: 1000)
                == (200..<400).map { S.bar($0, symbol: S.msft) } + (600..<800).map { S.bar($0, symbol: S.msft) })
        #expect(writer.current.rowsWaiting == 0 && writer.current.rowsWritten == 800)
        #expect(!FileManager.default.fileExists(atPath: spill))
    }

    @Test func onlyWhatOverflowsTheBoundIsDroppedCountedAndNamed() async throws {
        let store = RecordingStore(failures: 1_000)
        let clock = ManualClock()
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(3600), clock: clock, timeSource: clock,
            retention: .init(memoryRows: 4), logger: LogRecorder().logger)
        let running = Task { await writer.run() }
        let aapl = StoreBatch(quotes: [S.quote(bid: 1, receivedAt: 1)], bars: [S.bar(1)])
        let msft = StoreBatch(quotes: [S.quote(symbol: S.msft, bid: 1, receivedAt: 1)], bars: [S.bar(1, symbol: S.msft)])
        writer.submit(aapl)
        writer.submit(aapl)
        writer.submit(msft)
        await ManualClock.wait { (writer.current.rowsDropped == 2) || Task.isCancelled }
        let statistics = writer.current
        #expect(statistics.rowsWaiting == 4)
        #expect(statistics.droppedSymbols == [S.msft])
        #expect(statistics.droppedByKind == ["bars": 1, "quotes": 1])
        writer.finish()
        await running.value
        // No spill file: what waited in memory is lost at the end, and named.
        #expect(writer.current.rowsDropped == 6 && writer.current.droppedSymbols == [S.aapl, S.msft])
    }

    @Test func aValueNoStoreTakesIsDroppedAndDoesNotBlockTheRowsWaiting() async throws {
        let store = RecordingStore(failures: 1)
        let clock = ManualClock()
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(3600), clock: clock, timeSource: clock,
            logger: LogRecorder().logger)
        let running = Task { await writer.run() }
        writer.submit(StoreBatch(bars: [S.bar(1)]))
        writer.submit(StoreBatch(bars: [S.bar(2, close: .nan)]))
        await ManualClock.wait { (writer.current.rowsWaiting == 1 && writer.current.rowsDropped == 1) || Task.isCancelled }
        clock.advance(by: .seconds(1))
        writer.submit(StoreBatch(bars: [S.bar(3)]))
        await ManualClock.wait { (writer.current.rowsWaiting == 0) || Task.isCancelled }
        writer.finish()
        await running.value
        #expect(try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10) == [S.bar(1), S.bar(3)])
        #expect(writer.current.rowsDropped == 1 && writer.current.droppedByKind == ["bars": 1])
        #expect(writer.current.droppedSymbols == [S.aapl])
    }

    /// `store.max_size`: the database capped on every connection fills up like a disk; its rows
    /// stay, new ones wait, and pruning old history makes room that the next retry uses.
    @Test func aDatabaseAtItsMaxSizeKeepsRowsUntilPruningMakesRoom() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-max-size")
        defer { directory.remove() }
        let path = directory.path("store.sqlite")
        let limit: Int64 = 256 << 10
        let store = try SQLiteStore(path: path, maxSize: limit)
        var batches = 0
        while true {
            do {
                try await store.write(batch(batches))
                batches += 1
            } catch {
                #expect(error.kind == .sizeLimit(bytes: limit))
                #expect(error.cause == "database full (max_size 256KB)")
                #expect(error.description.contains("reached store.max_size (256KB); `ticktop db prune` frees room"))
                break
            }
        }
        #expect(batches > 2)
        let size = try #require((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber).int64Value
        #expect(size <= limit)
        // A restart (a new writer connection) gets the same limit.
        let reopened = try SQLiteStore(path: path, maxSize: limit)
        await #expect(throws: StoreError.self) { try await reopened.write(self.batch(batches)) }

        let clock = ManualClock()
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock, spillFor: path,
            logger: LogRecorder().logger)
        let running = Task { await writer.run() }
        writer.submit(batch(batches))
        await ManualClock.wait { (writer.current.rowsWaiting == 200) || Task.isCancelled }
        #expect(writer.current.failureCause == "database full (max_size 256KB)")
        #expect(try await storedBars(store) == batches * 200, "nothing stored is lost")

        let cutoff = S.origin + .seconds(60 * 200 * (batches / 2))
        let pruned = try DatabasePrune(cutoff: cutoff).delete(in: DatabaseFile(path: path))
        #expect(pruned.bars == batches / 2 * 200)
        clock.advance(by: .seconds(1))
        writer.submit(batch(batches + 1))
        await ManualClock.wait { (writer.current.rowsWaiting == 0) || Task.isCancelled }
        #expect(!writer.current.isFailing && writer.current.rowsDropped == 0)
        #expect(try await storedBars(store) == (batches - batches / 2 + 2) * 200)
        writer.finish()
        await running.value
    }
}
