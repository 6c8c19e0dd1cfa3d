import Collector
import Foundation

/// Measures how fast `PostgresStore` writes bars, against `psql \copy` of the same rows (CSV) into a
/// table of the same shape on the same server. Needs a server: the URL in `TICKTOP_BENCH_POSTGRES_URL`
/// or `TICKTOP_TEST_POSTGRES_URL` (`.ci/postgres start`); runs in a schema of its own, dropped after.
enum PostgresStoreBenchmark {
    static let variables = ["TICKTOP_BENCH_POSTGRES_URL", "TICKTOP_TEST_POSTGRES_URL"]
    /// Bars per `write` (one transaction each): `store.batch_size`'s default with PostgreSQL, then
    /// SQLite's, for comparison (the writer's transactions carry at most `batch_size` rows; a
    /// backfill fills them).
    static let batchSizes = [StoreConfiguration.defaultBatchSize(for: .postgres), StoreConfiguration.defaultBatchSize(for: .sqlite)]

    static func run(rows: Int, directory: URL) async throws -> [BenchmarkResult] {
        let environment = ProcessInfo.processInfo.environment
        guard let text = variables.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty }) else {
            return [
                BenchmarkResult(
                    name: "postgresstore-write", count: 0, seconds: 0,
                    note: "skipped: set \(variables[0]) (or run eval \"$(.ci/postgres start)\")")
            ]
        }
        let url = try PostgresURL(text)
        let bars = try StoreBenchmark.makeBars(rows)
        var results: [BenchmarkResult] = []
        var copyResult: BenchmarkResult?
        for batchSize in batchSizes {
            // A schema each: every run writes new bars into an empty table.
            let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let store = try PostgresStore(url: url, tls: .disable, schema: schema)
            do {
                try await store.prepare()
                let elapsed = try await StoreBenchmark.timeWrites(bars, batchSize: batchSize, into: store, named: "PostgresStore")
                results.append(
                    BenchmarkResult(
                        name: "postgresstore-write", count: rows, seconds: elapsed.secondsValue,
                        note: "batch_size \(batchSize)\(batchSize == batchSizes[0] ? " (the default)" : ""): \(batchSize) bars per write, one transaction each (new bars: one COPY into bars)"))
                if copyResult == nil { copyResult = try copyWithPSQL(bars, url: text, schema: schema, directory: directory) }
                try await store.dropSchema()
            } catch {
                try? await store.dropSchema()
                throw error
            }
        }
        if let copyResult, copyResult.count > 0 {
            for index in results.indices {
                results[index].note += String(format: "; %.2fx the rate of psql \\copy", results[index].perSecond / copyResult.perSecond)
            }
        }
        return results + (copyResult.map { [$0] } ?? [])
    }

    /// Times `psql \copy` of the bars (CSV) into a new table like `bars`, keys included.
    private static func copyWithPSQL(_ bars: [Bar], url text: String, schema: String, directory: URL) throws
        -> BenchmarkResult
    {
        let psql = "/usr/bin/psql"
        guard FileManager.default.isExecutableFile(atPath: psql) else {
            return BenchmarkResult(name: "psql-copy", count: 0, seconds: 0, note: "skipped: no \(psql)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let csv = directory.appendingPathComponent("bars.csv")
        try StoreBenchmark.csvText(bars, receivedAt: Timestamp(Date())).write(to: csv, atomically: true, encoding: .utf8)
        try runPSQL(
            psql, url: text, command: "CREATE TABLE \(schema).copied_bars (LIKE \(schema).bars INCLUDING ALL)")
        let clock = ContinuousClock()
        let start = clock.now
        try runPSQL(
            psql, url: text,
            command: "\\copy \(schema).copied_bars (symbol, timeframe, source, start, open, high, low, close, volume, vwap, "
                + "trade_count, received_at) FROM '\(csv.path)' WITH (FORMAT csv)")
        return BenchmarkResult(
            name: "psql-copy", count: bars.count, seconds: (clock.now - start).secondsValue,
            note: "psql \\copy of the same rows as CSV into a table like bars (keys included), process start included")
    }

    /// Runs one psql command against the URL (psql reads libpq URLs), failing on any error.
    private static func runPSQL(_ psql: String, url: String, command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: psql)
        process.arguments = [url, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", command]
        process.standardInput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw StoreBenchmark.Failure(description: "psql failed (status \(process.terminationStatus)): \(message)")
        }
    }
}
