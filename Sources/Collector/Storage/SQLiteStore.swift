import Foundation
import GRDB

/// The default `MarketStore`: one SQLite file in WAL mode, written through a
/// GRDB `DatabasePool` (one writer, concurrent readers).
///
/// Opening first recognises the file (see `SQLiteStore+Ownership.swift`): another
/// program's SQLite file is refused untouched. Then it creates the parent
/// directories, switches to WAL and applies the migrations in
/// `SQLiteStore+Migrations.swift`; a read-only store changes nothing. Every
/// failure is a `StoreError` naming the path and the operation.
public final class SQLiteStore: MarketStore {
    /// How hard SQLite works to make each commit durable.
    package enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// Durable across application crashes; a power loss may lose the last commits. The WAL default.
        case normal = "NORMAL"
        /// Every commit also survives a power loss, at some cost in speed.
        case full = "FULL"
    }

    /// The database file.
    package let path: String
    package let synchronous: Synchronous
    /// Opened read-only: no migration, no WAL switch, every write fails.
    package let readOnly: Bool
    /// The most bytes the database file may take (`store.max_size`); nil: no limit but the disk.
    package let maxSize: Int64?
    let pool: DatabasePool
    /// Stamps when bars are written (and when a revision replaced an earlier version).
    let timeSource: any TimeSource
    /// The tape's symbol and source ids known to be committed (`SQLiteStore+Tape.swift`).
    let tapeNames = TapeNames()
    /// Marks the file as in use while this store is open (`ticktop db restore` refuses to replace it).
    private let usage: DatabaseUsageLock?
    /// For a read-only store: the `-wal`/`-shm` files to remove when it closes, if opening created them.
    private let sidecars: WALSidecars?

    /// How long every connection waits for another one's lock (another ticktop, a script's
    /// `sqlite3`, the checkpoint a reader's last close runs) before "database is locked".
    static let busyMode = Database.BusyMode.timeout(5)

    /// Opens (or creates) the database at `path` and brings its schema up to date;
    /// with `readOnly`, opens an existing ticktop database for reading and changes nothing.
    /// With `maxSize`, the writer connection caps the file at that many bytes (`PRAGMA max_page_count`):
    /// a write that needs more room fails as on a full disk.
    package init(
        path: String, synchronous: Synchronous = .normal, readOnly: Bool = false, maxSize: Int64? = nil,
        timeSource: any TimeSource = SystemTimeSource()
    ) throws(StoreError) {
        self.path = path
        self.synchronous = synchronous
        self.readOnly = readOnly
        self.maxSize = maxSize
        self.timeSource = timeSource
        if readOnly {
            let sidecars = WALSidecars(databasePath: path)
            self.sidecars = sidecars
            var configuration = Configuration()
            configuration.label = "ticktop.store.readonly"
            configuration.readonly = true
            configuration.busyMode = Self.busyMode
            do {
                try Self.recognise(path: path, mustExist: true)
                pool = try DatabasePool(path: path, configuration: configuration)
            } catch {
                // Recognising opens the file too: what that created goes as the store's own would.
                sidecars.removeIfCreated()
                throw StoreError(operation: .open, location: path, error: error)
            }
            usage = DatabaseUsageLock(sharing: path)
            return
        }
        sidecars = nil
        try Self.recognise(path: path, mustExist: false)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                operation: .open, location: path, kind: .cannotCreateDirectory,
                detail: "cannot create the directory \(directory.path): \(Self.directoryProblem(directory, error))")
        }
        var configuration = Configuration()
        configuration.label = "ticktop.store"
        configuration.busyMode = Self.busyMode
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets NORMAL when it enables WAL; set the chosen mode after that.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
            }
        } catch {
            throw StoreError(operation: .open, location: path, error: error)
        }
        usage = DatabaseUsageLock(sharing: path)
        try migrate()
        guard let maxSize else { return }
        // The limit is per connection (SQLite does not keep it in the file), and only the pool's one
        // writer connection writes. It caps the rows, not the schema: set after the migrations, and
        // after GRDB's WAL set-up, which creates and drops a table when there is no -wal file.
        do {
            try pool.writeWithoutTransaction { db in try Self.limitSize(db, to: maxSize) }
        } catch {
            throw StoreError(operation: .open, location: path, error: error)
        }
    }

    /// A read-only store leaves no `-wal`/`-shm` files that were not there when it opened.
    deinit {
        guard let sidecars else { return }
        try? pool.close()
        sidecars.removeIfCreated()
    }

    /// Refuses a database migrated by a newer build, then applies missing migrations.
    private func migrate() throws(StoreError) {
        let migrator = Self.migrator
        do {
            let unknown = try pool.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            }
            guard unknown.isEmpty else {
                throw StoreError(
                    operation: .migrate, location: path, kind: .newerSchema(unknownMigrations: unknown),
                    detail: "it was written by a newer ticktop (schema migrations \(unknown.joined(separator: ", ")) "
                        + "are unknown to this build); upgrade ticktop or choose another database file")
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError(operation: .migrate, location: path, error: error)
        }
    }

    /// The schema migrations applied to this database, in order.
    package func appliedMigrations() async throws(StoreError) -> [String] {
        try await reading { db in try Self.migrator.appliedMigrations(db) }
    }

    @discardableResult
    public func write(_ batch: StoreBatch) async throws(StoreError) -> StoreWriteResult {
        if let reason = batch.unstorableReason {
            throw StoreError(operation: .write, location: path, kind: .invalidValue, detail: reason)
        }
        guard !batch.isEmpty else { return StoreWriteResult() }
        let anomalies = try encode(batch.anomalies)
        let quotes = batch.newestQuotes
        do {
            return try await pool.write { db in
                var result = StoreWriteResult()
                let bars = try Self.insert(batch.bars, receivedAt: self.timeSource.now(), db)
                (result.barsInserted, result.barsAlreadyStored, result.barsRevised) = (
                    bars.inserted, bars.alreadyStored, bars.revised
                )
                result.revisedBySource = bars.revisedBySource
                result.quotesWritten = try Self.upsert(quotes, db)
                result.anomaliesWritten = try Self.insert(anomalies, db)
                result.alertsWritten = try Self.upsert(batch.alerts, db)
                result.transitionsWritten = try Self.insert(batch.transitions, db)
                return result
            }
        } catch {
            throw writeError(error)
        }
    }

    /// The bars part of `write`, in one transaction, blocking the calling thread; returns the bars
    /// inserted. For the instruction-count harness (`ticktop-bench count write`), which must start
    /// no thread (valgrind 3.19 crashes on the threads libdispatch starts): `write` hops to
    /// GRDB's writer queue, this runs on the caller's thread.
    package nonisolated func writeBarsBlocking(_ bars: [Bar]) throws(StoreError) -> Int {
        do {
            return try pool.write { db in try Self.insert(bars, receivedAt: timeSource.now(), db).inserted }
        } catch {
            throw writeError(error)
        }
    }

    /// `PRAGMA max_page_count` for `maxSize` bytes at the database's page size. A database already
    /// larger is capped at its size (SQLite would refuse even the writes that need no new page).
    static func limitSize(_ db: Database, to maxSize: Int64) throws {
        let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
        let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        try db.execute(sql: "PRAGMA max_page_count = \(max(1, maxSize / max(pageSize, 1), pages))")
    }

    /// A failed write as a `StoreError`: a full database under `maxSize` with room left on the
    /// disk reached the limit (`.sizeLimit`), not a full disk.
    private nonisolated func writeError(_ error: any Error) -> StoreError {
        guard let maxSize, let databaseError = error as? DatabaseError, databaseError.resultCode == .SQLITE_FULL else {
            return StoreError(operation: .write, location: path, error: error)
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let free = (try? FileManager.default.attributesOfFileSystem(forPath: directory))?[.systemFreeSize] as? NSNumber
        guard let free, free.int64Value >= Self.diskRoomForSizeLimit else {
            return StoreError(operation: .write, location: path, error: error)
        }
        return StoreError(
            operation: .write, location: path, kind: .sizeLimit(bytes: maxSize),
            detail: "the database reached store.max_size (\(ByteSizeParser.format(maxSize))); `ticktop db prune` frees room, "
                + "or raise max_size")
    }

    /// Free disk space above which a full database is put down to `maxSize`, not to the disk.
    static let diskRoomForSizeLimit: Int64 = 64 << 20

    public func bars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws(StoreError) -> [Bar]
    {
        let (sql, arguments) = Self.seriesQuery(
            Self.barColumns, symbol: symbol, timeframe: timeframe, source: source, in: range, order: "start, source")
        return try await fetchBars(sql: sql, arguments: arguments, symbol: symbol, timeframe: timeframe)
    }

    /// `SELECT columns FROM bars` for one series (one source or all) with starts in `range`.
    private static func seriesQuery(
        _ columns: String, symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>,
        order: String
    ) -> (String, StatementArguments) {
        var sql = "SELECT \(columns) FROM bars WHERE symbol = ? AND timeframe = ?"
        var arguments: StatementArguments = [symbol.rawValue, timeframe.rawValue]
        if let source {
            sql += " AND source = ?"
            arguments += [source.rawValue]
        }
        sql += " AND start BETWEEN ? AND ? ORDER BY \(order)"
        arguments += [range.lowerBound.nanoseconds, range.upperBound.nanoseconds]
        return (sql, arguments)
    }

    public func barStarts(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>)
        async throws(StoreError) -> [Timestamp]
    {
        let (sql, arguments) = Self.seriesQuery(
            "DISTINCT start", symbol: symbol, timeframe: timeframe, source: source, in: range, order: "start")
        let nanoseconds = try await reading { [sql, arguments] db in
            try Int64.fetchAll(db, sql: sql, arguments: arguments)
        }
        return nanoseconds.map(Timestamp.init(nanoseconds:))
    }

    public func recentBars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, limit: Int)
        async throws(StoreError) -> [Bar]
    {
        guard limit > 0 else { return [] }
        var sql = "SELECT \(Self.barColumns) FROM bars WHERE symbol = ? AND timeframe = ?"
        var arguments: StatementArguments = [symbol.rawValue, timeframe.rawValue]
        if let source {
            sql += " AND source = ?"
            arguments += [source.rawValue]
        }
        sql += " ORDER BY start DESC, source DESC LIMIT ?"
        arguments += [limit]
        let newestFirst = try await fetchBars(sql: sql, arguments: arguments, symbol: symbol, timeframe: timeframe)
        return newestFirst.reversed()
    }

    public func latestBarStart(symbol: Symbol, timeframe: Timeframe, source: SourceID) async throws(StoreError)
        -> Timestamp?
    {
        let nanoseconds = try await reading { db in
            try Int64.fetchOne(
                db, sql: "SELECT MAX(start) FROM bars WHERE symbol = ? AND timeframe = ? AND source = ?",
                arguments: [symbol.rawValue, timeframe.rawValue, source.rawValue])
        }
        return nanoseconds.map(Timestamp.init(nanoseconds:))
    }

    public func barCount(symbol: Symbol, timeframe: Timeframe) async throws(StoreError) -> Int {
        try await reading { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM bars WHERE symbol = ? AND timeframe = ?",
                arguments: [symbol.rawValue, timeframe.rawValue]) ?? 0
        }
    }

    public func latestQuotes() async throws(StoreError) -> [Quote] {
        try await fetchAll(sql: "SELECT \(Self.quoteColumns) FROM latest_quotes ORDER BY symbol, source") {
            try self.quote($0)
        }
    }

    public func recentAnomalies(limit: Int) async throws(StoreError) -> [Anomaly] {
        guard limit > 0 else { return [] }
        return try await fetchAll(
            sql: "SELECT \(Self.anomalyColumns) FROM anomalies ORDER BY detected_at DESC, id DESC LIMIT ?",
            arguments: [limit]
        ) { try self.anomaly($0) }
    }

    public func recentAlerts(limit: Int) async throws(StoreError) -> [Alert] {
        guard limit > 0 else { return [] }
        return try await fetchAll(
            sql: "SELECT \(Self.alertColumns) FROM alerts ORDER BY raised_at DESC, kind, subject LIMIT ?",
            arguments: [limit]
        ) { try self.alert($0) }
    }

    public func recentTransitions(limit: Int) async throws(StoreError) -> [HealthTransition] {
        guard limit > 0 else { return [] }
        return try await fetchAll(
            sql: "SELECT \(Self.transitionColumns) FROM health_transitions ORDER BY at DESC, id DESC LIMIT ?",
            arguments: [limit]
        ) { try self.transition($0) }
    }

    public func barRevisions(symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        async throws(StoreError) -> [BarRevision]
    {
        try await fetchAll(
            sql: """
                SELECT \(Self.barColumns), received_at, replaced_at FROM bar_revisions
                WHERE symbol = ? AND timeframe = ? AND start BETWEEN ? AND ? ORDER BY start, source, replaced_at, id
                """,
            arguments: [symbol.rawValue, timeframe.rawValue, range.lowerBound.nanoseconds, range.upperBound.nanoseconds]
        ) { row in
            BarRevision(
                bar: try Self.bar(row, symbol: symbol, timeframe: timeframe),
                receivedAt: (try row.decode(Int64?.self, atIndex: 9)).map(Timestamp.init(nanoseconds:)),
                replacedAt: Timestamp(nanoseconds: try row.decode(atIndex: 10)))
        }
    }

    private func fetchBars(sql: String, arguments: StatementArguments, symbol: Symbol, timeframe: Timeframe)
        async throws(StoreError) -> [Bar]
    {
        try await fetchAll(sql: sql, arguments: arguments) { try Self.bar($0, symbol: symbol, timeframe: timeframe) }
    }

    /// Every row of a query, each turned into a value by `map`.
    private func fetchAll<T: Sendable>(
        sql: String, arguments: StatementArguments = [], _ map: @escaping @Sendable (Row) throws -> T
    ) async throws(StoreError) -> [T] {
        try await reading { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            var values: [T] = []
            while let row = try rows.next() { values.append(try map(row)) }
            return values
        }
    }

    /// Runs a read, turning any failure into a `StoreError`.
    func reading<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(value)
        } catch {
            throw StoreError(operation: .read, location: path, error: error)
        }
    }

    /// Why `directory` could not be created, in words.
    private static func directoryProblem(_ directory: URL, _ error: any Error) -> String {
        var ancestor = directory
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), ancestor.path != "/" {
            ancestor.deleteLastPathComponent()
        }
        if !isDirectory.boolValue { return "\(ancestor.path) is a file, not a directory" }
        if !FileManager.default.isWritableFile(atPath: ancestor.path) { return "\(ancestor.path) is not writable" }
        let nsError = error as NSError
        let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        return (underlying ?? nsError).localizedDescription
    }
}
