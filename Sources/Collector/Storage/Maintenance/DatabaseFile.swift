import Foundation
import GRDB

/// A ticktop SQLite database as a file, for the `ticktop db` commands: opened read-only for
/// checks, exports and backups (so they work on a read-only file and never change it), and
/// recognised as ticktop's before anything is done to it.
public struct DatabaseFile: Sendable {
    /// The database path.
    public let path: String

    public init(path: String) { self.path = path }

    /// Runs `body` on a read-only connection to the file (after checking that it exists and is a
    /// ticktop database) and closes it; `-wal`/`-shm` files the open created are removed (`WALSidecars`).
    func readOnly<T>(_ body: (DatabaseQueue) throws(StoreError) -> T) throws(StoreError) -> T {
        let sidecars = WALSidecars(databasePath: path)
        defer { sidecars.removeIfCreated() }
        let queue = try openReadOnly()
        defer { try? queue.close() }
        return try body(queue)
    }

    /// Opens the file read-only after checking that it exists and is a ticktop database.
    private func openReadOnly() throws(StoreError) -> DatabaseQueue {
        try SQLiteStore.recognise(path: path, mustExist: true)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "ticktop.db-file"
        configuration.busyMode = SQLiteStore.busyMode
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in try Self.requireTicktop(db, path: path) }
        } catch {
            throw StoreError(operation: .open, location: path, error: error)
        }
        return queue
    }

    /// Refuses a database that is not ticktop's (beyond `SQLiteStore.recognise`, which an empty SQLite
    /// file passes as a new database): it must hold ticktop's tables and a schema history this build knows.
    static func requireTicktop(_ db: Database, path: String) throws {
        let tables = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
        let required: Set = ["grdb_migrations", "bars", "latest_quotes", "anomalies"]
        guard required.isSubset(of: tables) else {
            throw StoreError(
                operation: .open, location: path, kind: .other,
                detail: "it is not a ticktop database (no \(required.subtracting(tables).sorted().joined(separator: ", ")) table)"
            )
        }
        let unknown = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            .subtracting(SQLiteStore.migrator.migrations).sorted()
        guard unknown.isEmpty else {
            throw StoreError(
                operation: .open, location: path, kind: .newerSchema(unknownMigrations: unknown),
                detail:
                    "it was written by a newer ticktop (schema migrations \(unknown.joined(separator: ", ")) are unknown to this build)"
            )
        }
    }

    /// What `check` found.
    public struct Health: Sendable, Hashable {
        /// `PRAGMA integrity_check`'s messages; `["ok"]` when the file is sound.
        public var integrity: [String]
        /// The schema migrations applied, in order.
        public var migrations: [String]
        /// Rows per table.
        public var rows: [String: Int]
        /// Per symbol and timeframe: the stored range and the bars count.
        public var series: [Series]

        package init(integrity: [String], migrations: [String], rows: [String: Int], series: [Series]) {
            self.integrity = integrity
            self.migrations = migrations
            self.rows = rows
            self.series = series
        }

        public var isIntact: Bool { integrity == ["ok"] }
    }

    /// The stored bars of one symbol and timeframe (all sources).
    public struct Series: Sendable, Hashable {
        public var symbol: String
        public var timeframe: String
        public var bars: Int
        public var first: Timestamp
        public var last: Timestamp
        /// Bar starts stored, distinct across sources (for gap finding).
        public var starts: [Timestamp]

        package init(symbol: String, timeframe: String, bars: Int, first: Timestamp, last: Timestamp, starts: [Timestamp]) {
            self.symbol = symbol
            self.timeframe = timeframe
            self.bars = bars
            self.first = first
            self.last = last
            self.starts = starts
        }
    }

    /// Integrity, schema and what history is stored; never changes the file.
    public func check() throws(StoreError) -> Health {
        try readOnly { queue throws(StoreError) in try check(queue) }
    }

    private func check(_ queue: DatabaseQueue) throws(StoreError) -> Health {
        do {
            return try queue.read { db in
                let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                let migrations = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                var rows: [String: Int] = [:]
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                for table in tables {
                    rows[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"") ?? 0
                }
                var series: [Series] = []
                let groups = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT symbol, timeframe, COUNT(*), MIN(start), MAX(start) FROM bars GROUP BY symbol, timeframe ORDER BY symbol, timeframe"
                )
                for group in groups {
                    let symbol: String = group[0]
                    let timeframe: String = group[1]
                    let starts = try Int64.fetchAll(
                        db, sql: "SELECT DISTINCT start FROM bars WHERE symbol = ? AND timeframe = ? ORDER BY start",
                        arguments: [symbol, timeframe])
                    series.append(
                        Series(
                            symbol: symbol, timeframe: timeframe, bars: group[2], first: Timestamp(nanoseconds: group[3]),
                            last: Timestamp(nanoseconds: group[4]), starts: starts.map(Timestamp.init(nanoseconds:))))
                }
                return Health(integrity: integrity, migrations: migrations, rows: rows, series: series)
            }
        } catch {
            throw StoreError(operation: .read, location: path, error: error)
        }
    }
}
