import Collector
import Foundation
import GRDBSQLite

/// Measures how fast `SQLiteStore` writes bars, against a bare SQLite C API writer of the same
/// rows in the same batches and the `sqlite3` shell's CSV `.import` of them, all into the same
/// schema (WAL, synchronous=NORMAL); prints both ratios (goal: 0.8x the raw C API or better).
enum StoreBenchmark {
    /// Where the comparison tool is expected.
    static let sqlite3Path = "/usr/bin/sqlite3"
    /// Bars per `write` (one transaction each).
    static let batchSize = 1000

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `rows` synthetic one-minute bars (10 symbols) into fresh databases in `directory`.
    static func run(rows: Int, directory: URL) async throws -> [BenchmarkResult] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bars = try makeBars(rows)

        let storePath = try freshPath("store-bench.sqlite", in: directory)
        let store = try SQLiteStore(path: storePath)
        let elapsed = try await timeWrites(bars, batchSize: batchSize, into: store, named: "SQLiteStore")
        var storeResult = BenchmarkResult(
            name: "sqlitestore-write", count: rows, seconds: elapsed.secondsValue,
            note: "\(batchSize) bars per write, one transaction each, synchronous=NORMAL")
        let raw = try await rawWrite(bars, directory: directory)
        storeResult.note += String(format: "; %.2fx the raw C API", storeResult.perSecond / raw.perSecond)

        guard FileManager.default.isExecutableFile(atPath: sqlite3Path) else {
            return [storeResult, raw, skippedImport]
        }
        let importResult = try await importCSV(bars, directory: directory)
        let ratio = storeResult.perSecond / importResult.perSecond
        storeResult.note += String(format: ", %.2fx the rate of sqlite3 .import", ratio)
        return [storeResult, raw, importResult]
    }

    static let skippedImport = BenchmarkResult(
        name: "sqlite3-csv-import", count: 0, seconds: 0,
        note: "skipped: \(sqlite3Path) not found (install the sqlite3 package to compare)")

    /// The store's own insert (`ON CONFLICT DO NOTHING` on the bar's key), bound by a bare C API writer.
    static let insertBarSQL = """
        INSERT INTO bars (symbol, timeframe, source, start, open, high, low, close, volume, vwap, trade_count, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
        """

    /// The same bars through `RawSQLiteWriter`, in the same batches, into a database created by `SQLiteStore`.
    private static func rawWrite(_ bars: [Bar], directory: URL) async throws -> BenchmarkResult {
        let path = try freshPath("raw-bench.sqlite", in: directory)
        _ = try SQLiteStore(path: path)
        let receivedAt = Timestamp(Date()).nanoseconds
        let writer = try RawSQLiteWriter(path: path, sql: insertBarSQL)
        let elapsed = try ContinuousClock().measure {
            var index = 0
            while index < bars.count {
                let end = min(index + batchSize, bars.count)
                try writer.write(bars[index..<end]) { statement, bar in
                    sqlite3_bind_text(statement, 1, bar.symbol.rawValue, -1, RawSQLiteWriter.transient)
                    sqlite3_bind_text(statement, 2, bar.timeframe.rawValue, -1, RawSQLiteWriter.transient)
                    sqlite3_bind_text(statement, 3, bar.source.rawValue, -1, RawSQLiteWriter.transient)
                    sqlite3_bind_int64(statement, 4, bar.start.nanoseconds)
                    sqlite3_bind_double(statement, 5, bar.open)
                    sqlite3_bind_double(statement, 6, bar.high)
                    sqlite3_bind_double(statement, 7, bar.low)
                    sqlite3_bind_double(statement, 8, bar.close)
                    sqlite3_bind_double(statement, 9, bar.volume)
                    RawSQLiteWriter.bind(bar.vwap, 10, statement)
                    if let count = bar.tradeCount {
                        sqlite3_bind_int64(statement, 11, Int64(count))
                    } else {
                        sqlite3_bind_null(statement, 11)
                    }
                    sqlite3_bind_int64(statement, 12, receivedAt)
                }
                index = end
            }
        }
        try await checkBars(path, bars, "the raw C API writer")
        return BenchmarkResult(
            name: "bars-raw-c-api", count: bars.count, seconds: elapsed.secondsValue,
            note: "sqlite3_prepare_v2 once, bind/step/reset per row, BEGIN/COMMIT per \(batchSize) rows, same schema")
    }

    /// Fails unless the database at `path` holds every bar.
    private static func checkBars(_ path: String, _ bars: [Bar], _ name: String) async throws {
        let check = try SQLiteStore(path: path)
        var stored = 0
        for symbol in Set(bars.map(\.symbol)) { stored += try await check.barCount(symbol: symbol, timeframe: .oneMinute) }
        guard stored == bars.count else { throw Failure(description: "\(name) stored \(stored) of \(bars.count) bars") }
    }

    /// Writes the bars as CSV and times `sqlite3` importing them into a database created by `SQLiteStore`.
    private static func importCSV(_ bars: [Bar], directory: URL) async throws -> BenchmarkResult {
        let databasePath = try freshPath("import-bench.sqlite", in: directory)
        _ = try SQLiteStore(path: databasePath)  // the same schema, in WAL mode
        let elapsed = try importCSV(
            csvText(bars, receivedAt: Timestamp(Date())), into: databasePath, table: "bars", directory: directory)
        try await checkBars(databasePath, bars, "sqlite3")
        return BenchmarkResult(
            name: "sqlite3-csv-import", count: bars.count, seconds: elapsed.secondsValue,
            note: "\(sqlite3Path) .mode csv + .import, one transaction, process start included")
    }

    /// Times `sqlite3` running `before` (SQL) and then importing `csv` into `table` of the database
    /// at `databasePath`; fails loudly on any error sqlite3 reports.
    static func importCSV(_ csv: String, into databasePath: String, table: String, before: String = "", directory: URL)
        throws -> Duration
    {
        let csvFile = directory.appendingPathComponent("\(table).csv")
        try csv.write(to: csvFile, atomically: true, encoding: .utf8)
        let script = directory.appendingPathComponent("import-\(table).sql")
        try "PRAGMA synchronous=NORMAL;\n\(before)\n.mode csv\n.import '\(csvFile.path)' \(table)\n"
            .write(to: script, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3Path)
        process.arguments = ["-bail", databasePath]
        process.standardInput = try FileHandle(forReadingFrom: script)
        // Errors go to a file, not a pipe: sqlite3 reports a bad row per row, and a pipe nobody
        // reads until it exits fills up and stops it for good (the benchmark hung so).
        let errorPath = directory.appendingPathComponent("import-errors.txt")
        guard FileManager.default.createFile(atPath: errorPath.path, contents: nil) else {
            throw Failure(description: "cannot create \(errorPath.path)")
        }
        let errors = try FileHandle(forWritingTo: errorPath)
        defer { try? errors.close() }
        process.standardError = errors
        let clock = ContinuousClock()
        let start = clock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = clock.now - start
        let message = try String(contentsOf: errorPath, encoding: .utf8)
        guard process.terminationStatus == 0, message.isEmpty else {
            let lines = message.split(separator: "\n")
            let shown = lines.prefix(3).joined(separator: "\n") + (lines.count > 3 ? "\n(\(lines.count) lines in all)" : "")
            throw Failure(description: "sqlite3 .import failed (status \(process.terminationStatus)): \(shown)")
        }
        return elapsed
    }

    /// Deterministic bars: bar `i` belongs to symbol `i % 10` and starts `i / 10` minutes after the origin.
    static func makeBars(_ count: Int) throws -> [Bar] {
        let symbols = try ["AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA", "JPM", "V", "XOM"].map { try Symbol($0) }
        let origin = Timestamp(seconds: 1_767_225_600)
        let source = SourceID("bench")
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { index in
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let open = 100 + Double(seed >> 44) / 10_000
            let move = Double((seed >> 20) & 0xFFF) / 4096 - 0.5
            return Bar(
                symbol: symbols[index % symbols.count], source: source, timeframe: .oneMinute,
                start: origin + .seconds(Int64(60 * (index / symbols.count))),
                open: open, high: open + abs(move) + 0.01, low: open - abs(move) - 0.01, close: open + move,
                volume: Double(1000 + (seed & 0xFFFF)), vwap: open + move / 2, tradeCount: Int((seed >> 8) & 0x3FF))
        }
    }

    /// Writes the bars in batches of `batchSize`, one write each, and returns how long it took;
    /// fails unless every bar was inserted (a benchmark of writes that did nothing means nothing).
    static func timeWrites(_ bars: [Bar], batchSize: Int, into store: some MarketStore, named name: String) async throws
        -> Duration
    {
        var inserted = 0
        let elapsed = try await ContinuousClock().measure {
            var index = 0
            while index < bars.count {
                let end = min(index + batchSize, bars.count)
                inserted += try await store.write(StoreBatch(bars: Array(bars[index..<end]))).barsInserted
                index = end
            }
        }
        guard inserted == bars.count else { throw Failure(description: "\(name) inserted \(inserted) of \(bars.count) bars") }
        return elapsed
    }

    /// The bars as CSV rows in the `bars` column order, without a header; every row received at
    /// `receivedAt` (the column `SQLiteStore` fills with the time of the write).
    static func csvText(_ bars: [Bar], receivedAt: Timestamp) -> String {
        var text = ""
        text.reserveCapacity(bars.count * 110)
        for bar in bars {
            let fields: [String] = [
                bar.symbol.rawValue, bar.timeframe.rawValue, bar.source.rawValue, "\(bar.start.nanoseconds)",
                "\(bar.open)", "\(bar.high)", "\(bar.low)", "\(bar.close)", "\(bar.volume)",
                bar.vwap.map { "\($0)" } ?? "", bar.tradeCount.map { "\($0)" } ?? "", "\(receivedAt.nanoseconds)"
            ]
            text += fields.joined(separator: ",")
            text += "\n"
        }
        return text
    }

    /// A path in `directory` with no database (or WAL files) left from an earlier run.
    static func freshPath(_ name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        return path
    }
}
