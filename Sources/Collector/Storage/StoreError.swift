import Foundation
import GRDB

/// A store failure that names the database and what was being done, e.g.
/// `cannot open the database at /x/y.sqlite: the file is not an SQLite database`.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the store was doing.
    package enum Operation: String, Sendable, Hashable {
        case open, migrate, write, read

        var phrase: String {
            switch self {
            case .open: "open"
            case .migrate: "migrate"
            case .write: "write to"
            case .read: "read from"
            }
        }
    }

    /// Why it failed.
    public enum Kind: Sendable, Hashable {
        /// The directory that should hold the database could not be created.
        case cannotCreateDirectory
        /// The file exists but is not an SQLite database, or is corrupt.
        case notADatabase
        /// The file is another program's SQLite database; it was left untouched.
        case notTicktop
        /// A read-only command found no database at the path.
        case missing
        /// The database was migrated by a newer build; these migrations are unknown here.
        case newerSchema(unknownMigrations: [String])
        /// A value cannot be stored as it is (e.g. a NaN price).
        case invalidValue
        /// The database reached its size limit (`store.max_size`, in bytes); handled like a full disk.
        case sizeLimit(bytes: Int64)
        /// Any other SQLite error, with its primary result code.
        case database(resultCode: Int32)
        /// A PostgreSQL server refused the operation, with its SQLSTATE code (e.g. `28P01`: wrong password).
        case server(sqlState: String)
        /// The PostgreSQL server could not be reached, or did not answer in time.
        case unreachable
        /// Anything else (I/O, encoding, cancellation).
        case other
    }

    package var operation: Operation
    /// The database path, or a name for a store without one.
    package var location: String
    public var kind: Kind
    /// A short human explanation.
    package var detail: String

    package init(operation: Operation, location: String, kind: Kind, detail: String) {
        self.operation = operation
        self.location = location
        self.kind = kind
        self.detail = detail
    }

    /// Wraps any error thrown while doing `operation` on the database at `location`.
    package init(operation: Operation, location: String, error: any Error) {
        if let storeError = error as? StoreError {
            self = storeError
            return
        }
        self.operation = operation
        self.location = location
        switch error {
        case let error as DatabaseError:
            let code = error.resultCode
            let message = error.message ?? "SQLite error \(code.rawValue)"
            if code == .SQLITE_NOTADB || code == .SQLITE_CORRUPT {
                kind = .notADatabase
                detail = "the file is not an SQLite database or is corrupt (\(message))"
            } else {
                kind = .database(resultCode: code.rawValue)
                detail = "\(message) (SQLite error \(code.rawValue))"
            }
        case is CancellationError:
            kind = .other
            detail = "the task was cancelled"
        default:
            kind = .other
            detail = String(describing: error)
        }
    }

    /// A few words for a status line: `disk full`, `disk I/O error`, or the detail.
    package var cause: String {
        switch kind {
        case .database(resultCode: 13): "disk full"  // SQLITE_FULL, also when max_page_count is reached
        case .sizeLimit(let bytes): "database full (max_size \(ByteSizeParser.format(bytes)))"
        case .database(resultCode: 10): "disk I/O error"
        case .database(resultCode: 8): "database is read-only"
        case .database(resultCode: 5), .database(resultCode: 6): "database is locked"
        case .unreachable: "store unreachable"
        default: detail
        }
    }

    public var description: String {
        "cannot \(operation.phrase) the database at \(location): \(detail)"
    }
}
