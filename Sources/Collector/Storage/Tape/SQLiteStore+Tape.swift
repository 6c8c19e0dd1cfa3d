import GRDB
import GRDBSQLite
import Synchronization

/// The tape in SQLite: one compact row per trade or quote (`ticks`), the symbol and source as
/// small integer ids (`tape_symbols`, `tape_sources`), the exchange time in integer nanoseconds and
/// the receipt as the delay after it (a few bytes instead of eight). The `tape` view spells the
/// rows out for exports, with the column names replay files use.
///
/// Layout (migration `tape-batches`): `ticks` is append-only with no per-row index (a per-symbol
/// index cost the writer 3-4x: random B-tree inserts); each write adds one `tape_batches` row, its
/// rowid range and exchange-time range, in the same transaction. A read goes to the batches whose
/// times overlap its range, newest first, and scans their rowid ranges for the symbol.
extension SQLiteStore: TickStore {
    static func tape(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE tape_symbols (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL UNIQUE);
                CREATE TABLE tape_sources (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE);
                CREATE TABLE ticks (
                    symbol_id INTEGER NOT NULL,
                    source_id INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    exchange_time INTEGER NOT NULL,
                    delay INTEGER NOT NULL,
                    bid REAL,
                    bid_size REAL,
                    ask REAL,
                    ask_size REAL,
                    price REAL,
                    size REAL,
                    trade_id TEXT
                );
                CREATE INDEX ticks_by_symbol ON ticks (symbol_id, exchange_time);
                CREATE VIEW tape AS
                    SELECT CASE t.kind WHEN 0 THEN 'quote' ELSE 'trade' END AS type, s.symbol, o.source,
                        t.exchange_time AS time, t.exchange_time + t.delay AS received,
                        t.bid, t.bid_size, t.ask, t.ask_size,
                        CASE t.kind WHEN 0 THEN t.price END AS last,
                        CASE t.kind WHEN 1 THEN t.price END AS price,
                        t.size, t.trade_id AS id, t.rowid AS position
                    FROM ticks t JOIN tape_symbols s ON s.id = t.symbol_id JOIN tape_sources o ON o.id = t.source_id;
                """)
    }

    /// The per-symbol index goes; `tape_batches` indexes the rowid ranges of writes by time. An
    /// existing tape gets one batch per 1,024 rowids (its rows were written in time order too).
    static func tapeBatches(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP INDEX ticks_by_symbol;
                CREATE TABLE tape_batches (
                    first_rowid INTEGER PRIMARY KEY,
                    last_rowid INTEGER NOT NULL,
                    first_time INTEGER NOT NULL,
                    last_time INTEGER NOT NULL
                );
                CREATE INDEX tape_batches_by_time ON tape_batches (last_time);
                INSERT INTO tape_batches
                    SELECT min(rowid), max(rowid), min(exchange_time), max(exchange_time) FROM ticks GROUP BY rowid >> 10;
                """)
    }

    static let insertTickSQL = """
        INSERT INTO ticks (rowid, symbol_id, source_id, kind, exchange_time, delay, bid, bid_size, ask, ask_size, price, size, trade_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let insertBatchSQL = "INSERT INTO tape_batches (first_rowid, last_rowid, first_time, last_time) VALUES (?, ?, ?, ?)"

    /// The rowid a write starts at: after every row and every batch's range, so a new row never
    /// falls in an older batch's range (a prune may have deleted the rows at its end).
    static let nextRowIDSQL = """
        SELECT max(coalesce((SELECT max(rowid) FROM ticks), 0),
            coalesce((SELECT last_rowid FROM tape_batches ORDER BY first_rowid DESC LIMIT 1), 0)) + 1
        """

    /// The tape's writer: one transaction, one prepared statement whose parameters are bound and
    /// stepped with the SQLite C API (what `ticktop-bench tape` compares with a bare C API writer).
    @discardableResult
    package func writeTicks(_ ticks: [Tick]) async throws(StoreError) -> Int {
        guard !ticks.isEmpty else { return 0 }
        guard !readOnly else {
            throw StoreError(operation: .write, location: path, kind: .invalidValue, detail: "the store is open read-only")
        }
        let known = tapeNames.snapshot
        do {
            let added = try await pool.write { db in
                var names = TapeNames.Lookup(known: known)
                let first = try Int64.fetchOne(db.cachedStatement(sql: Self.nextRowIDSQL)) ?? 1
                var rowID = first
                var (earliest, latest) = (Int64.max, Int64.min)
                let statement = try db.cachedStatement(sql: Self.insertTickSQL)
                let handle = statement.sqliteStatement
                for tick in ticks {
                    let symbol = try names.id(of: tick.symbol, db)
                    let source = try names.id(of: tick.source, db)
                    let time = tick.exchangeTime.nanoseconds
                    (earliest, latest) = (min(earliest, time), max(latest, time))
                    sqlite3_reset(handle)
                    sqlite3_bind_int64(handle, 1, rowID)
                    sqlite3_bind_int64(handle, 2, symbol)
                    sqlite3_bind_int64(handle, 3, source)
                    sqlite3_bind_int64(handle, 4, Int64(tick.kind.rawValue))
                    sqlite3_bind_int64(handle, 5, time)
                    sqlite3_bind_int64(handle, 6, tick.receivedAt.nanoseconds &- time)
                    Self.bind(tick.bid, 7, handle)
                    Self.bind(tick.bidSize, 8, handle)
                    Self.bind(tick.ask, 9, handle)
                    Self.bind(tick.askSize, 10, handle)
                    Self.bind(tick.price, 11, handle)
                    Self.bind(tick.size, 12, handle)
                    if let id = tick.tradeID {
                        sqlite3_bind_text(handle, 13, id, -1, Self.sqliteTransient)
                    } else {
                        sqlite3_bind_null(handle, 13)
                    }
                    let code = sqlite3_step(handle)
                    guard code == SQLITE_DONE else {
                        throw DatabaseError(
                            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                            sql: Self.insertTickSQL)
                    }
                    rowID += 1
                }
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
                try db.cachedStatement(sql: Self.insertBatchSQL).execute(arguments: [first, rowID - 1, earliest, latest])
                return names.added
            }
            // Only ids of a committed transaction are remembered (a rolled-back one never existed).
            tapeNames.remember(added)
        } catch {
            throw StoreError(operation: .write, location: path, error: error)
        }
        return ticks.count
    }

    private static func bind(_ value: Double?, _ index: Int32, _ handle: OpaquePointer?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Reads the batches whose times overlap `range`, newest first, scanning each one's rowid range
    /// for the symbol, and stops once `limit` ticks are found and no batch left can hold a newer one.
    package func ticks(symbol: Symbol, source: SourceID?, in range: ClosedRange<Timestamp>, limit: Int) async throws(StoreError)
        -> [Tick]
    {
        guard limit > 0 else { return [] }
        return try await reading { db in
            // A database not yet migrated by this build (opened read-only) has no tape.
            guard try db.tableExists("ticks"),
                let symbolID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM tape_symbols WHERE symbol = ?", arguments: [symbol.rawValue])
            else { return [] }
            var sources: [Int64: SourceID] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, source FROM tape_sources") {
                let id: Int64 = row[0]
                sources[id] = SourceID(row[1] as String)
            }
            var sourceID: Int64?
            if let source {
                guard let id = sources.first(where: { $0.value == source })?.key else { return [] }
                sourceID = id
            }
            let (lower, upper) = (range.lowerBound.nanoseconds, range.upperBound.nanoseconds)
            var spans: [TapeSpan] = []
            if try db.tableExists("tape_batches") {
                spans = try TapeSpan.fetchAll(
                    db,
                    sql: """
                        SELECT first_rowid, last_rowid, last_time FROM tape_batches WHERE last_time >= ? AND first_time <= ?
                        ORDER BY last_time DESC, first_rowid DESC
                        """, arguments: [lower, upper])
            } else if let last = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM ticks") {
                // A tape written before `tape-batches`, read without migrating: one span, all of it.
                spans = [TapeSpan(first: 0, last: last, lastTime: .max)]
            }
            var sql = """
                SELECT rowid, kind, exchange_time, delay, bid, bid_size, ask, ask_size, price, size, trade_id, source_id
                FROM ticks WHERE rowid BETWEEN ? AND ? AND symbol_id = ? AND exchange_time BETWEEN ? AND ?
                """
            if sourceID != nil { sql += " AND source_id = ?" }
            let statement = try db.cachedStatement(sql: sql)
            var found = TapeNewest(limit: limit)
            for span in spans {
                if let oldest = found.oldestKept, span.lastTime < oldest { break }
                var arguments: StatementArguments = [span.first, span.last, symbolID, lower, upper]
                if let sourceID { arguments += [sourceID] }
                let rows = try Row.fetchCursor(statement, arguments: arguments)
                while let row = try rows.next() {
                    let time: Int64 = row[2]
                    let delay: Int64 = row[3]
                    let sourceKey: Int64 = row[11]
                    guard let source = sources[sourceKey] else {
                        let position: Int64 = row[0]
                        throw DatabaseError(
                            message: "tick \(position) of the tape has source id \(sourceKey), which tape_sources does not name")
                    }
                    let tick = Tick(
                        kind: Tick.Kind(rawValue: row[1]) ?? .quote, symbol: symbol, source: source,
                        exchangeTime: Timestamp(nanoseconds: time), receivedAt: Timestamp(nanoseconds: time &+ delay),
                        bid: row[4], bidSize: row[5], ask: row[6], askSize: row[7], price: row[8], size: row[9],
                        tradeID: row[10])
                    found.add(tick, position: row[0])
                }
            }
            return found.oldestFirst()
        }
    }
}

/// One write's rows on the tape: its rowid range and its newest exchange time.
private struct TapeSpan: FetchableRecord {
    var first: Int64
    var last: Int64
    var lastTime: Int64

    init(first: Int64, last: Int64, lastTime: Int64) {
        (self.first, self.last, self.lastTime) = (first, last, lastTime)
    }

    init(row: Row) {
        (first, last, lastTime) = (row[0], row[1], row[2])
    }
}

/// The newest `limit` ticks of those added, by exchange time then position (the order received).
private struct TapeNewest {
    let limit: Int
    private var ticks: [(time: Int64, position: Int64, tick: Tick)] = []
    /// Once `limit` are kept, the exchange time of the oldest of them: a batch whose newest tick
    /// is older holds none that would be kept. (Set when trimming, so it may lag: never too high.)
    private(set) var oldestKept: Int64?

    init(limit: Int) { self.limit = limit }

    mutating func add(_ tick: Tick, position: Int64) {
        ticks.append((tick.exchangeTime.nanoseconds, position, tick))
        if ticks.count >= limit && (oldestKept == nil || ticks.count - limit >= limit) { trim() }
    }

    private mutating func trim() {
        ticks.sort { ($0.time, $0.position) > ($1.time, $1.position) }
        ticks.removeLast(max(0, ticks.count - limit))
        oldestKept = ticks.last?.time
    }

    mutating func oldestFirst() -> [Tick] {
        trim()
        return ticks.reversed().map(\.tick)
    }
}

/// The ids the tape gives symbols and sources, kept in memory once committed so a write looks
/// each name up in the database only the first time it sees it.
final class TapeNames: Sendable {
    struct IDs: Sendable {
        var symbols: [Symbol: Int64] = [:]
        var sources: [SourceID: Int64] = [:]
    }

    private let ids = Mutex(IDs())

    var snapshot: IDs { ids.withLock { $0 } }

    func remember(_ added: IDs) {
        guard !added.symbols.isEmpty || !added.sources.isEmpty else { return }
        ids.withLock { ids in
            ids.symbols.merge(added.symbols) { old, _ in old }
            ids.sources.merge(added.sources) { old, _ in old }
        }
    }

    /// One write's lookups: the committed ids, and the ones this transaction added.
    struct Lookup {
        var known: IDs
        var added = IDs()

        mutating func id(of symbol: Symbol, _ db: Database) throws -> Int64 {
            if let id = known.symbols[symbol] { return id }
            let id = try Self.insert(symbol.rawValue, table: "tape_symbols", column: "symbol", db)
            known.symbols[symbol] = id
            added.symbols[symbol] = id
            return id
        }

        mutating func id(of source: SourceID, _ db: Database) throws -> Int64 {
            if let id = known.sources[source] { return id }
            let id = try Self.insert(source.rawValue, table: "tape_sources", column: "source", db)
            known.sources[source] = id
            added.sources[source] = id
            return id
        }

        /// The id of `name` in `table`, given one if it has none.
        private static func insert(_ name: String, table: String, column: String, _ db: Database) throws -> Int64 {
            try db.execute(sql: "INSERT OR IGNORE INTO \(table) (\(column)) VALUES (?)", arguments: [name])
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE \(column) = ?", arguments: [name]) else {
                throw DatabaseError(message: "the tape lost the id of \(name)")
            }
            return id
        }
    }
}
