import GRDB
import GRDBSQLite
import Synchronization

/// The tape in SQLite: one compact row per trade or quote (`ticks`), the symbol and source as
/// small integer ids (`tape_symbols`, `tape_sources`), the exchange time in integer nanoseconds and
/// the receipt as the delay after it (a few bytes instead of eight). The `tape` view spells the
/// rows out for exports, with the column names replay files use.
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

    static let insertTickSQL = """
        INSERT INTO ticks (symbol_id, source_id, kind, exchange_time, delay, bid, bid_size, ask, ask_size, price, size, trade_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                let statement = try db.cachedStatement(sql: Self.insertTickSQL)
                let handle = statement.sqliteStatement
                for tick in ticks {
                    let symbol = try names.id(of: tick.symbol, db)
                    let source = try names.id(of: tick.source, db)
                    sqlite3_reset(handle)
                    sqlite3_bind_int64(handle, 1, symbol)
                    sqlite3_bind_int64(handle, 2, source)
                    sqlite3_bind_int64(handle, 3, Int64(tick.kind.rawValue))
                    sqlite3_bind_int64(handle, 4, tick.exchangeTime.nanoseconds)
                    sqlite3_bind_int64(handle, 5, tick.receivedAt.nanoseconds &- tick.exchangeTime.nanoseconds)
                    Self.bind(tick.bid, 6, handle)
                    Self.bind(tick.bidSize, 7, handle)
                    Self.bind(tick.ask, 8, handle)
                    Self.bind(tick.askSize, 9, handle)
                    Self.bind(tick.price, 10, handle)
                    Self.bind(tick.size, 11, handle)
                    if let id = tick.tradeID {
                        sqlite3_bind_text(handle, 12, id, -1, Self.sqliteTransient)
                    } else {
                        sqlite3_bind_null(handle, 12)
                    }
                    let code = sqlite3_step(handle)
                    guard code == SQLITE_DONE else {
                        throw DatabaseError(
                            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                            sql: Self.insertTickSQL)
                    }
                }
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
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

    package func ticks(symbol: Symbol, source: SourceID?, in range: ClosedRange<Timestamp>, limit: Int) async throws(StoreError)
        -> [Tick]
    {
        guard limit > 0 else { return [] }
        var sql = """
            SELECT t.kind, t.exchange_time, t.delay, t.bid, t.bid_size, t.ask, t.ask_size, t.price, t.size, t.trade_id, o.source
            FROM ticks t JOIN tape_sources o ON o.id = t.source_id
            WHERE t.symbol_id = (SELECT id FROM tape_symbols WHERE symbol = ?) AND t.exchange_time BETWEEN ? AND ?
            """
        var arguments: StatementArguments = [symbol.rawValue, range.lowerBound.nanoseconds, range.upperBound.nanoseconds]
        if let source {
            sql += " AND o.source = ?"
            arguments += [source.rawValue]
        }
        sql += " ORDER BY t.exchange_time DESC, t.rowid DESC LIMIT ?"
        arguments += [limit]
        return try await reading { [sql, arguments] db in
            // A database not yet migrated by this build (opened read-only) has no tape.
            guard try db.tableExists("ticks") else { return [] }
            var ticks: [Tick] = []
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let time: Int64 = row[1]
                let delay: Int64 = row[2]
                ticks.append(
                    Tick(
                        kind: Tick.Kind(rawValue: row[0]) ?? .quote, symbol: symbol, source: SourceID(row[10] as String),
                        exchangeTime: Timestamp(nanoseconds: time), receivedAt: Timestamp(nanoseconds: time &+ delay),
                        bid: row[3], bidSize: row[4], ask: row[5], askSize: row[6], price: row[7], size: row[8],
                        tradeID: row[9]))
            }
            return ticks.reversed()
        }
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
