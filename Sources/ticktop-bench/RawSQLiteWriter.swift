import Foundation
import GRDBSQLite

/// The bare SQLite C API writer the store benchmarks compare with: one connection, one statement
/// prepared once (`sqlite3_prepare_v2`), each batch one `BEGIN` ... `COMMIT` of bind, step and
/// reset per row. No wrapper, no checks beyond the result codes: the ceiling for the same rows.
final class RawSQLiteWriter {
    private var db: OpaquePointer?
    private var statement: OpaquePointer?
    let path: String

    /// Opens the database at `path` (already created with the schema) with `synchronous = NORMAL`
    /// in WAL mode (as the store writes) and prepares `sql`.
    init(path: String, sql: String) throws {
        self.path = path
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { throw failure("open") }
        try execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else { throw failure("prepare") }
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(db)
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(sql) }
    }

    /// One transaction: `prepare` runs first in it, then `bind` fills the statement's parameters
    /// for each row, which is stepped, then `finish` runs before the commit.
    func write<Row>(
        _ rows: ArraySlice<Row>, prepare: () throws -> Void = {}, bind: (OpaquePointer?, Row) -> Void,
        finish: () throws -> Void = {}
    ) throws {
        try execute("BEGIN")
        try prepare()
        for row in rows {
            bind(statement, row)
            guard sqlite3_step(statement) == SQLITE_DONE else { throw failure("step") }
            sqlite3_reset(statement)
        }
        try finish()
        try execute("COMMIT")
    }

    /// The last inserted row id (for the names the tape gives ids).
    var lastInsertedID: Int64 { sqlite3_last_insert_rowid(db) }

    private func failure(_ what: String) -> StoreBenchmark.Failure {
        StoreBenchmark.Failure(description: "raw SQLite \(what) failed on \(path): \(String(cString: sqlite3_errmsg(db)))")
    }

    /// Binds a double, or NULL when absent.
    static func bind(_ value: Double?, _ index: Int32, _ statement: OpaquePointer?) {
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
