import GRDB

/// `ticktop db prune --older-than`: retention. Deletes bars (and their revisions) that start
/// before a cutoff, anomalies detected before it, alerts cleared before it (open alerts are kept
/// whatever their age), health transitions before it and ticks of the tape with an exchange time
/// before it; or, as a dry run, only counts them.
public struct DatabasePrune: Sendable {
    /// Rows removed (or that would be) per table.
    public struct Counts: Sendable, Hashable {
        public var bars = 0
        public var revisions = 0
        public var anomalies = 0
        public var alerts = 0
        public var transitions = 0
        /// Trades and quotes on the tape.
        public var ticks = 0

        package var total: Int { bars + revisions + anomalies + alerts + transitions + ticks }
    }

    public var cutoff: Timestamp
    /// Only bars of this timeframe (and only bars: other tables are left alone); all when nil.
    package var timeframe: Timeframe?

    public init(cutoff: Timestamp, timeframe: Timeframe? = nil) {
        self.cutoff = cutoff
        self.timeframe = timeframe
    }

    /// Counts what would go, without changing anything (a read-only connection).
    public func count(in file: DatabaseFile) throws(StoreError) -> Counts {
        try file.readOnly { queue throws(StoreError) in
            do {
                return try queue.read { db in try run(db, delete: false) }
            } catch {
                throw StoreError(operation: .read, location: file.path, error: error)
            }
        }
    }

    /// Deletes in one transaction: all or nothing.
    public func delete(in file: DatabaseFile) throws(StoreError) -> Counts {
        try file.readOnly { _ throws(StoreError) in }  // recognise the file before writing to it
        do {
            var configuration = Configuration()
            configuration.busyMode = SQLiteStore.busyMode
            let pool = try DatabasePool(path: file.path, configuration: configuration)
            defer { try? pool.close() }
            return try pool.write { db in try run(db, delete: true) }
        } catch {
            throw StoreError(operation: .write, location: file.path, error: error)
        }
    }

    private func run(_ db: Database, delete: Bool) throws -> Counts {
        func apply(_ table: String, _ condition: String, _ arguments: StatementArguments) throws -> Int {
            // A database not yet migrated by this build may lack a newer table: nothing to prune there.
            guard try db.tableExists(table) else { return 0 }
            if delete {
                try db.execute(sql: "DELETE FROM \(table) WHERE \(condition)", arguments: arguments)
                return db.changesCount
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(condition)", arguments: arguments) ?? 0
        }
        let time = cutoff.nanoseconds
        var counts = Counts()
        if let timeframe {
            counts.bars = try apply("bars", "start < ? AND timeframe = ?", [time, timeframe.rawValue])
            counts.revisions = try apply("bar_revisions", "start < ? AND timeframe = ?", [time, timeframe.rawValue])
            return counts
        }
        counts.bars = try apply("bars", "start < ?", [time])
        counts.revisions = try apply("bar_revisions", "start < ?", [time])
        counts.anomalies = try apply("anomalies", "detected_at < ?", [time])
        counts.alerts = try apply("alerts", "cleared_at IS NOT NULL AND cleared_at < ?", [time])
        counts.transitions = try apply("health_transitions", "at < ?", [time])
        counts.ticks = try apply("ticks", "exchange_time < ?", [time])
        // A batch of the tape whose newest tick is older than the cutoff has lost every row.
        if delete, try db.tableExists("tape_batches") {
            try db.execute(sql: "DELETE FROM tape_batches WHERE last_time < ?", arguments: [time])
        }
        return counts
    }
}
