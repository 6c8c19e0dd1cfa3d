import Collector
import Foundation
import GRDBSQLite

/// Measures the tape's writer (`SQLiteStore.writeTicks`) against a bare SQLite C API writer of the
/// same rows into the same schema in the same batches (each with its `tape_batches` row), and
/// against the `sqlite3` shell's CSV `.import` of those rows; prints both ratios (goal: the tape at
/// 0.8x the raw C API or better).
enum TapeBenchmark {
    /// Ticks per write (one transaction each): `store.batch_size`'s default.
    static let batchSize = 1000

    static let insertSQL = """
        INSERT INTO ticks (rowid, symbol_id, source_id, kind, exchange_time, delay, bid, bid_size, ask, ask_size, price, size, trade_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The `tape_batches` row of the batch `ticks`, whose first row is at `first`.
    static func batchRow(_ ticks: ArraySlice<Tick>, first: Int64) -> String {
        let times = ticks.map(\.exchangeTime.nanoseconds)
        let last = first + Int64(ticks.count) - 1
        return "INSERT INTO tape_batches VALUES (\(first), \(last), \(times.min() ?? 0), \(times.max() ?? 0));"
    }

    static func run(rows: Int, directory: URL) async throws -> [BenchmarkResult] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ticks = try makeTicks(rows)

        let storePath = try StoreBenchmark.freshPath("tape-bench.sqlite", in: directory)
        let store = try SQLiteStore(path: storePath)
        let elapsed = try await ContinuousClock().measure {
            var index = 0
            while index < ticks.count {
                let end = min(index + batchSize, ticks.count)
                try await store.writeTicks(Array(ticks[index..<end]))
                index = end
            }
        }
        try check(storePath, holds: rows, "the tape writer")
        var tape = BenchmarkResult(
            name: "tape-write", count: rows, seconds: elapsed.secondsValue,
            note: "SQLiteStore.writeTicks, \(batchSize) ticks per write, one transaction each, synchronous=NORMAL")

        let raw = try rawWrite(ticks, directory: directory)
        tape.note += String(format: "; %.2fx the raw C API", tape.perSecond / raw.perSecond)
        guard FileManager.default.isExecutableFile(atPath: StoreBenchmark.sqlite3Path) else {
            return [tape, raw, StoreBenchmark.skippedImport]
        }
        let imported = try importCSV(ticks, directory: directory)
        tape.note += String(format: ", %.2fx sqlite3 .import", tape.perSecond / imported.perSecond)
        return [tape, raw, imported]
    }

    /// The same rows through `RawSQLiteWriter`, names given ids as the tape gives them (in the
    /// transaction of the batch that first has them).
    private static func rawWrite(_ ticks: [Tick], directory: URL) throws -> BenchmarkResult {
        let path = try StoreBenchmark.freshPath("tape-raw-bench.sqlite", in: directory)
        _ = try SQLiteStore(path: path)  // the same schema
        let writer = try RawSQLiteWriter(path: path, sql: insertSQL)
        var symbols: [Symbol: Int64] = [:]
        var sources: [SourceID: Int64] = [:]
        var rowID: Int64 = 1
        let elapsed = try ContinuousClock().measure {
            var index = 0
            while index < ticks.count {
                let end = min(index + batchSize, ticks.count)
                let batch = ticks[index..<end]
                try writer.write(
                    batch,
                    prepare: {
                        for tick in batch where symbols[tick.symbol] == nil {
                            try writer.execute("INSERT INTO tape_symbols (symbol) VALUES ('\(tick.symbol.rawValue)')")
                            symbols[tick.symbol] = writer.lastInsertedID
                        }
                        for tick in batch where sources[tick.source] == nil {
                            try writer.execute("INSERT INTO tape_sources (source) VALUES ('\(tick.source.rawValue)')")
                            sources[tick.source] = writer.lastInsertedID
                        }
                    },
                    bind: { statement, tick in
                        sqlite3_bind_int64(statement, 1, rowID)
                        rowID += 1
                        sqlite3_bind_int64(statement, 2, symbols[tick.symbol] ?? 0)
                        sqlite3_bind_int64(statement, 3, sources[tick.source] ?? 0)
                        sqlite3_bind_int64(statement, 4, Int64(tick.kind.rawValue))
                        sqlite3_bind_int64(statement, 5, tick.exchangeTime.nanoseconds)
                        sqlite3_bind_int64(statement, 6, tick.receivedAt.nanoseconds &- tick.exchangeTime.nanoseconds)
                        RawSQLiteWriter.bind(tick.bid, 7, statement)
                        RawSQLiteWriter.bind(tick.bidSize, 8, statement)
                        RawSQLiteWriter.bind(tick.ask, 9, statement)
                        RawSQLiteWriter.bind(tick.askSize, 10, statement)
                        RawSQLiteWriter.bind(tick.price, 11, statement)
                        RawSQLiteWriter.bind(tick.size, 12, statement)
                        if let id = tick.tradeID {
                            sqlite3_bind_text(statement, 13, id, -1, RawSQLiteWriter.transient)
                        } else {
                            sqlite3_bind_null(statement, 13)
                        }
                    },
                    finish: { try writer.execute(batchRow(batch, first: rowID - Int64(batch.count))) })
                index = end
            }
        }
        try check(path, holds: ticks.count, "the raw C API writer")
        return BenchmarkResult(
            name: "tape-raw-c-api", count: ticks.count, seconds: elapsed.secondsValue,
            note: "sqlite3_prepare_v2 once, bind/step/reset per row, BEGIN/COMMIT per \(batchSize) rows, "
                + "same schema, a tape_batches row each")
    }

    /// The rows as CSV in the `ticks` column order, imported by `sqlite3` (names inserted first).
    private static func importCSV(_ ticks: [Tick], directory: URL) throws -> BenchmarkResult {
        var symbols: [Symbol: Int] = [:]
        var sources: [SourceID: Int] = [:]
        var text = ""
        text.reserveCapacity(ticks.count * 90)
        func cell(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        for tick in ticks {
            let symbol = symbols[tick.symbol] ?? (symbols.count + 1)
            symbols[tick.symbol] = symbol
            let source = sources[tick.source] ?? (sources.count + 1)
            sources[tick.source] = source
            let fields = [
                "\(symbol)", "\(source)", "\(tick.kind.rawValue)", "\(tick.exchangeTime.nanoseconds)",
                "\(tick.receivedAt.nanoseconds - tick.exchangeTime.nanoseconds)", cell(tick.bid), cell(tick.bidSize),
                cell(tick.ask), cell(tick.askSize), cell(tick.price), cell(tick.size), tick.tradeID ?? ""
            ]
            text += fields.joined(separator: ",")
            text += "\n"
        }
        // The rows get rowids 1, 2, ... as the writers give them; the batches' rows are inserted first.
        let batches = stride(from: 0, to: ticks.count, by: batchSize).map { start in
            batchRow(ticks[start..<min(start + batchSize, ticks.count)], first: Int64(start) + 1)
        }
        let names =
            symbols.map { "INSERT INTO tape_symbols VALUES (\($0.value), '\($0.key.rawValue)');" }
            + sources.map { "INSERT INTO tape_sources VALUES (\($0.value), '\($0.key.rawValue)');" } + ["BEGIN;"] + batches
            + ["COMMIT;"]
        let path = try StoreBenchmark.freshPath("tape-import-bench.sqlite", in: directory)
        _ = try SQLiteStore(path: path)
        let result = try StoreBenchmark.importCSV(
            text, into: path, table: "ticks", before: names.joined(separator: "\n"), directory: directory)
        try check(path, holds: ticks.count, "sqlite3 .import")
        return BenchmarkResult(
            name: "tape-sqlite3-import", count: ticks.count, seconds: result.secondsValue,
            note: "\(StoreBenchmark.sqlite3Path) .mode csv + .import, one transaction, process start included "
                + "(absent numbers import as '' rather than NULL)")
    }

    /// Fails unless the database at `path` holds `count` ticks.
    private static func check(_ path: String, holds count: Int, _ name: String) throws {
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK,
            sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM ticks", -1, &statement, nil) == SQLITE_OK,
            sqlite3_step(statement) == SQLITE_ROW
        else { throw StoreBenchmark.Failure(description: "cannot count the ticks in \(path)") }
        let stored = Int(sqlite3_column_int64(statement, 0))
        guard stored == count else { throw StoreBenchmark.Failure(description: "\(name) stored \(stored) of \(count) ticks") }
    }

    /// Deterministic ticks over 1,000 symbols from 2 sources: 4 quotes to 1 trade (every trade with
    /// an id), prices in cents, nanosecond exchange times 0.1 ms apart, received 1 to 4 ms later.
    static func makeTicks(_ count: Int) throws -> [Tick] {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let symbols = try (0..<1000).map { n in
            try Symbol(String([letters[n / 676], letters[n / 26 % 26], letters[n % 26]]))
        }
        let sources = [SourceID("alpaca"), SourceID("polygon")]
        let origin = Timestamp(seconds: 1_767_225_600)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { index in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let symbol = symbols[Int(seed >> 33) % symbols.count]
            let time = origin + .nanoseconds(Int64(index) * 100_000)
            let received = time + .nanoseconds(1_000_000 + Int64(seed & 0x2F_FFFF))
            let bid = Double(10_000 + (seed >> 48) % 40_000) / 100
            if index % 5 == 4 {
                return Tick(
                    kind: .trade, symbol: symbol, source: sources[index & 1], exchangeTime: time, receivedAt: received,
                    price: bid + 0.01, size: Double(1 + (seed >> 12) % 500), tradeID: String(index))
            }
            return Tick(
                kind: .quote, symbol: symbol, source: sources[index & 1], exchangeTime: time, receivedAt: received,
                bid: bid, bidSize: Double(1 + (seed >> 8) % 20), ask: bid + 0.02, askSize: Double(1 + (seed >> 16) % 20))
        }
    }
}
