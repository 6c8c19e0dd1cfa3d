import Foundation
import GRDB
import GRDBSQLite

/// How model values map to rows, and the statements that write them.
extension SQLiteStore {
    static let barColumns = "source, start, open, high, low, close, volume, vwap, trade_count"
    static let quoteColumns = """
        symbol, source, bid, bid_size, ask, ask_size, last, exchange_time, received_at, previous_close, day_volume
        """
    static let anomalyColumns = """
        rule, severity, symbol, source, fields_json, message, detected_at, quarantined, subject_json
        """

    static let insertBarSQL = """
        INSERT INTO bars (symbol, timeframe, source, start, open, high, low, close, volume, vwap, trade_count, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
        """
    static let barKey = "symbol = ? AND timeframe = ? AND source = ? AND start = ?"
    static let storedBarSQL = "SELECT open, high, low, close, volume, vwap, trade_count FROM bars WHERE \(barKey)"
    static let keepRevisionSQL = """
        INSERT INTO bar_revisions (symbol, timeframe, source, start, open, high, low, close, volume, vwap, trade_count,
            received_at, replaced_at)
        SELECT symbol, timeframe, source, start, open, high, low, close, volume, vwap, trade_count, received_at, ?
        FROM bars WHERE \(barKey)
        """
    static let reviseBarSQL = """
        UPDATE bars SET open = ?, high = ?, low = ?, close = ?, volume = ?, vwap = ?, trade_count = ?, received_at = ?
        WHERE \(barKey)
        """
    static let upsertQuoteSQL = """
        INSERT INTO latest_quotes (\(quoteColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (symbol, source) DO UPDATE SET
            bid = excluded.bid, bid_size = excluded.bid_size, ask = excluded.ask, ask_size = excluded.ask_size,
            last = excluded.last, exchange_time = excluded.exchange_time, received_at = excluded.received_at,
            previous_close = excluded.previous_close, day_volume = excluded.day_volume
        WHERE excluded.received_at >= latest_quotes.received_at
        """
    static let insertAnomalySQL = """
        INSERT INTO anomalies (rule, severity, symbol, source, kind, value_time, detected_at, quarantined,
            fields_json, message, subject_json)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
        """

    /// An anomaly with its fields and subject already JSON-encoded.
    typealias EncodedAnomaly = AnomalyJSON.Encoded

    /// What writing bars did: new ones, identical ones already stored, and revised ones.
    struct BarWriteCounts {
        var inserted = 0
        var alreadyStored = 0
        var revised = 0
        var revisedBySource: [SourceID: Int] = [:]
    }

    /// The hot path: one cached statement whose parameters are bound and stepped with the
    /// SQLite C API (no argument arrays, no records, no per-row GRDB bookkeeping: nothing observes
    /// the store's transactions); a failed step is a GRDB `DatabaseError` with SQLite's code and
    /// message, as GRDB would report it. A bar whose key is already stored with other
    /// values is a revision: the stored version moves to `bar_revisions` and the new one replaces it;
    /// a version a later bar of the same write replaces is none when the stored bar is that later one.
    static func insert(_ bars: [Bar], receivedAt: Timestamp, _ db: Database) throws -> BarWriteCounts {
        var counts = BarWriteCounts()
        guard !bars.isEmpty else { return counts }
        let superseded = SupersededBars(bars)
        let statement = try db.cachedStatement(sql: insertBarSQL)
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (index, bar) in bars.enumerated() {
            if let last = superseded.lastVersion(of: index), try isStored(bars[last], db) {
                counts.alreadyStored += 1
                continue
            }
            sqlite3_reset(handle)
            var code = bind(bar, to: handle)
            if code == SQLITE_OK { code = sqlite3_bind_int64(handle, 12, receivedAt.nanoseconds) }
            try step(handle, bound: code, .bar, db)
            if sqlite3_changes(db.sqliteConnection) > 0 {
                counts.inserted += 1
            } else if try revise(bar, at: receivedAt, db) {
                counts.revised += 1
                counts.revisedBySource[bar.source, default: 0] += 1
            } else {
                counts.alreadyStored += 1
            }
        }
        return counts
    }

    /// Replaces a stored bar whose values differ from `bar`, keeping the stored version as a
    /// revision; returns false when the stored bar is the same (a re-run stores nothing twice).
    private static func revise(_ bar: Bar, at receivedAt: Timestamp, _ db: Database) throws -> Bool {
        guard let stored = try storedBar(of: bar, db), !same(stored, bar) else { return false }
        let key = key(of: bar)
        try db.cachedStatement(sql: keepRevisionSQL).execute(arguments: [receivedAt.nanoseconds] + key)
        try db.cachedStatement(sql: reviseBarSQL).execute(
            arguments: [bar.open, bar.high, bar.low, bar.close, bar.volume, bar.vwap, bar.tradeCount, receivedAt.nanoseconds]
                + key)
        return true
    }

    private static func key(of bar: Bar) -> StatementArguments {
        [bar.symbol.rawValue, bar.timeframe.rawValue, bar.source.rawValue, bar.start.nanoseconds]
    }

    /// The values stored under `bar`'s key (`storedBarSQL`), if any.
    private static func storedBar(of bar: Bar, _ db: Database) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: storedBarSQL), arguments: key(of: bar))
    }

    /// Whether the bar is stored with exactly these values.
    private static func isStored(_ bar: Bar, _ db: Database) throws -> Bool {
        try storedBar(of: bar, db).map { same($0, bar) } ?? false
    }

    private static func same(_ stored: Row, _ bar: Bar) -> Bool {
        stored[0] as Double == bar.open && stored[1] as Double == bar.high && stored[2] as Double == bar.low
            && stored[3] as Double == bar.close && stored[4] as Double == bar.volume && stored[5] as Double? == bar.vwap
            && stored[6] as Int? == bar.tradeCount
    }

    /// Binds the bar to the parameters of `insertBarSQL`; returns the first error code, or SQLITE_OK.
    private static func bind(_ bar: Bar, to handle: SQLiteStatement) -> CInt {
        var first = SQLITE_OK
        func check(_ code: CInt) { if first == SQLITE_OK { first = code } }
        check(sqlite3_bind_text(handle, 1, bar.symbol.rawValue, -1, sqliteTransient))
        check(sqlite3_bind_text(handle, 2, bar.timeframe.rawValue, -1, sqliteTransient))
        check(sqlite3_bind_text(handle, 3, bar.source.rawValue, -1, sqliteTransient))
        check(sqlite3_bind_int64(handle, 4, bar.start.nanoseconds))
        check(sqlite3_bind_double(handle, 5, bar.open))
        check(sqlite3_bind_double(handle, 6, bar.high))
        check(sqlite3_bind_double(handle, 7, bar.low))
        check(sqlite3_bind_double(handle, 8, bar.close))
        check(sqlite3_bind_double(handle, 9, bar.volume))
        check(bar.vwap.map { sqlite3_bind_double(handle, 10, $0) } ?? sqlite3_bind_null(handle, 10))
        check(bar.tradeCount.map { sqlite3_bind_int64(handle, 11, Int64($0)) } ?? sqlite3_bind_null(handle, 11))
        return first
    }

    /// The row statements bound with the C API, named in their errors.
    private enum RowStatement {
        case bar, quote

        var sql: String { self == .bar ? insertBarSQL : upsertQuoteSQL }
        var row: String { self == .bar ? "a bar" : "a quote" }
    }

    /// Runs the prepared statement once after its parameters were bound (`bound`: the first error
    /// code of the binding, or SQLITE_OK); throws SQLite's error when binding or stepping failed.
    private static func step(_ handle: SQLiteStatement, bound: CInt, _ statement: RowStatement, _ db: Database) throws {
        guard bound == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: bound), message: "cannot bind \(statement.row)", sql: statement.sql)
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                sql: statement.sql)
        }
    }

    /// SQLite copies the bound text (the Swift string's buffer is temporary).
    static let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Replaces each stored quote unless it was received later, one upsert per symbol and source
    /// (`StoreBatch.newestQuotes`), bound with the C API as bars are; returns the rows written.
    static func upsert(_ quotes: [Quote], _ db: Database) throws -> Int {
        guard !quotes.isEmpty else { return 0 }
        let handle = try db.cachedStatement(sql: upsertQuoteSQL).sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var written = 0
        for quote in quotes {
            sqlite3_reset(handle)
            try step(handle, bound: bind(quote, to: handle), .quote, db)
            written += Int(sqlite3_changes(db.sqliteConnection))
        }
        return written
    }

    /// Binds the quote to the parameters of `upsertQuoteSQL`; returns the first error code, or SQLITE_OK.
    private static func bind(_ quote: Quote, to handle: SQLiteStatement) -> CInt {
        var first = SQLITE_OK
        func check(_ code: CInt) { if first == SQLITE_OK { first = code } }
        func number(_ index: CInt, _ value: Double?) {
            check(value.map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index))
        }
        check(sqlite3_bind_text(handle, 1, quote.symbol.rawValue, -1, sqliteTransient))
        check(sqlite3_bind_text(handle, 2, quote.source.rawValue, -1, sqliteTransient))
        number(3, quote.bid)
        number(4, quote.bidSize)
        number(5, quote.ask)
        number(6, quote.askSize)
        number(7, quote.last)
        check(sqlite3_bind_int64(handle, 8, quote.exchangeTime.nanoseconds))
        check(sqlite3_bind_int64(handle, 9, quote.receivedAt.nanoseconds))
        number(10, quote.previousClose)
        number(11, quote.dayVolume)
        return first
    }

    /// Inserts the anomalies not stored yet (see the `replay-identity` migration); returns how many.
    static func insert(_ anomalies: [EncodedAnomaly], _ db: Database) throws -> Int {
        guard !anomalies.isEmpty else { return 0 }
        let statement = try db.cachedStatement(sql: insertAnomalySQL)
        var written = 0
        for encoded in anomalies {
            let anomaly = encoded.anomaly
            try statement.execute(arguments: [
                anomaly.rule, anomaly.severity.rawValue, anomaly.symbol.rawValue, anomaly.source.rawValue,
                anomaly.subject.kind.rawValue, anomaly.subject.time.nanoseconds, anomaly.detectedAt.nanoseconds,
                anomaly.quarantined, encoded.fieldsJSON, anomaly.message, encoded.subjectJSON
            ])
            written += db.changesCount
        }
        return written
    }

    static let alertColumns = "kind, subject, raised_at, severity, message, cleared_at"
    static let upsertAlertSQL = """
        INSERT INTO alerts (kind, subject, raised_at, severity, message, cleared_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, subject, raised_at) DO UPDATE SET
            severity = excluded.severity, message = excluded.message, cleared_at = excluded.cleared_at
        """

    static func upsert(_ alerts: [Alert], _ db: Database) throws -> Int {
        guard !alerts.isEmpty else { return 0 }
        let statement = try db.cachedStatement(sql: upsertAlertSQL)
        for alert in alerts {
            try statement.execute(arguments: [
                alert.kind.rawValue, alert.subject, alert.raisedAt.nanoseconds, alert.severity.rawValue, alert.message,
                alert.clearedAt?.nanoseconds
            ])
        }
        return alerts.count
    }

    func alert(_ row: Row) throws -> Alert {
        let kindText: String = row["kind"]
        let severityText: String = row["severity"]
        guard let kind = Alert.Kind(rawValue: kindText), let severity = Anomaly.Severity(rawValue: severityText) else {
            throw invalidStoredValue("an alert has an unknown kind '\(kindText)' or severity '\(severityText)'")
        }
        var alert = Alert(
            kind: kind, severity: severity, subject: row["subject"], message: row["message"],
            raisedAt: Timestamp(nanoseconds: row["raised_at"]))
        alert.clearedAt = (row["cleared_at"] as Int64?).map(Timestamp.init(nanoseconds:))
        return alert
    }

    static let transitionColumns = "source, from_state, to_state, detail, at"
    static let insertTransitionSQL = """
        INSERT INTO health_transitions (\(transitionColumns)) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
        """

    /// Inserts the transitions not stored yet (see the `replay-identity` migration); returns how many.
    static func insert(_ transitions: [HealthTransition], _ db: Database) throws -> Int {
        guard !transitions.isEmpty else { return 0 }
        let statement = try db.cachedStatement(sql: insertTransitionSQL)
        var written = 0
        for t in transitions {
            try statement.execute(arguments: [t.source.rawValue, t.from.rawValue, t.to.rawValue, t.detail, t.at.nanoseconds])
            written += db.changesCount
        }
        return written
    }

    func transition(_ row: Row) throws -> HealthTransition {
        let fromText: String = row["from_state"]
        let toText: String = row["to_state"]
        guard let from = HealthState(rawValue: fromText), let to = HealthState(rawValue: toText) else {
            throw invalidStoredValue("a health transition has an unknown state '\(fromText)' or '\(toText)'")
        }
        return HealthTransition(
            source: SourceID(row["source"] as String), from: from, to: to, detail: row["detail"],
            at: Timestamp(nanoseconds: row["at"]))
    }

    func encode(_ anomalies: [Anomaly]) throws(StoreError) -> [EncodedAnomaly] {
        do {
            return try AnomalyJSON.encode(anomalies)
        } catch {
            throw StoreError(
                operation: .write, location: path, kind: .invalidValue,
                detail: "cannot encode an anomaly as JSON (\(error))")
        }
    }

    static func bar(_ row: Row, symbol: Symbol, timeframe: Timeframe) throws -> Bar {
        Bar(
            symbol: symbol, source: SourceID(try row.decode(String.self, atIndex: 0)), timeframe: timeframe,
            start: Timestamp(nanoseconds: try row.decode(atIndex: 1)),
            open: try row.decode(atIndex: 2), high: try row.decode(atIndex: 3), low: try row.decode(atIndex: 4),
            close: try row.decode(atIndex: 5), volume: try row.decode(atIndex: 6),
            vwap: try row.decode(atIndex: 7), tradeCount: try row.decode(atIndex: 8))
    }

    func quote(_ row: Row) throws -> Quote {
        Quote(
            symbol: try storedSymbol(try row.decode(atIndex: 0)), source: SourceID(try row.decode(String.self, atIndex: 1)),
            bid: try row.decode(atIndex: 2), bidSize: try row.decode(atIndex: 3),
            ask: try row.decode(atIndex: 4), askSize: try row.decode(atIndex: 5), last: try row.decode(atIndex: 6),
            exchangeTime: Timestamp(nanoseconds: try row.decode(atIndex: 7)),
            receivedAt: Timestamp(nanoseconds: try row.decode(atIndex: 8)),
            previousClose: try row.decode(atIndex: 9), dayVolume: try row.decode(atIndex: 10))
    }

    func anomaly(_ row: Row) throws -> Anomaly {
        do {
            return try AnomalyJSON.anomaly(
                rule: try row.decode(atIndex: 0), severity: try row.decode(atIndex: 1), symbol: try row.decode(atIndex: 2),
                source: try row.decode(atIndex: 3), fieldsJSON: try row.decode(atIndex: 4), message: try row.decode(atIndex: 5),
                detectedAt: try row.decode(atIndex: 6), quarantined: try row.decode(atIndex: 7),
                subjectJSON: try row.decode(atIndex: 8))
        } catch let problem as AnomalyJSON.StoredValueProblem {
            throw invalidStoredValue(problem.detail)
        }
    }

    private func storedSymbol(_ text: String) throws -> Symbol {
        do {
            return try Symbol(text)
        } catch {
            throw invalidStoredValue("a stored symbol is invalid: \(error)")
        }
    }

    private func invalidStoredValue(_ detail: String) -> StoreError {
        StoreError(operation: .read, location: path, kind: .invalidValue, detail: detail)
    }
}
