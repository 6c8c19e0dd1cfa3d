import Foundation
import GRDB

extension DatabaseFile {
    /// What a backup or restore copied.
    public struct CopyReport: Sendable, Hashable {
        /// Where the copy is.
        public var path: String
        /// Database pages copied and the file's size in bytes.
        public var pages: Int
        public var bytes: Int64
        /// For a restore: where the database it replaced was kept (nil when there was none).
        public var previous: String?
    }

    /// Copies the database to `destination` with SQLite's online backup, consistent even while
    /// ticktop writes to it. The copy is written beside `destination` and renamed into place, so
    /// an interrupted backup never leaves a half-written file under that name. Refuses to replace
    /// an existing file.
    public func backup(to destination: String) throws(StoreError) -> CopyReport {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(operation: .write, location: destination, kind: .other, detail: "the file exists; choose a new name")
        }
        let pages = try readOnly { source throws(StoreError) in try Self.copy(source, to: destination, sourcePath: path) }
        return CopyReport(path: destination, pages: pages, bytes: Self.size(of: destination), previous: nil)
    }

    /// Replaces this database with the backup at `backupPath`: checks that the backup is sound
    /// (integrity) and is a ticktop database this build can read, copies it beside the database,
    /// then swaps it in with a rename. The replaced database is kept as
    /// `<path>.before-restore-<UTC time>`. Refuses while another process has the database open
    /// (stop ticktop first).
    public func restore(from backupPath: String, now: Timestamp) throws(StoreError) -> CopyReport {
        let backup = DatabaseFile(path: backupPath)
        let health = try backup.check()
        guard health.isIntact else {
            throw StoreError(
                operation: .read, location: backupPath, kind: .notADatabase,
                detail:
                    "the backup fails its integrity check (\(health.integrity.prefix(3).joined(separator: "; "))); nothing was changed"
            )
        }
        let staging = path + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        let pages = try backup.readOnly { source throws(StoreError) in try Self.copy(source, to: staging, sourcePath: backupPath)
        }
        var previous: String?
        do {
            var lock: DatabaseUsageLock?
            defer { withExtendedLifetime(lock) {} }
            if FileManager.default.fileExists(atPath: path) {
                lock = try requireIdle()
                let kept = path + ".before-restore-" + now.fileStamp
                // A hard link keeps the old database under the new name while `rename` swaps the
                // restored one in atomically: at no moment is there no database at `path`.
                try Self.posix("keep the old database as \(kept)") { link(path, kept) }
                previous = kept
            }
            try Self.posix("move the restored database into place") { rename(staging, path) }
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw StoreError(operation: .write, location: path, error: error)
        }
        return CopyReport(path: path, pages: pages, bytes: Self.size(of: path), previous: previous)
    }

    /// Takes the database for this process alone (no open ticktop store may share it) and folds its
    /// write-ahead log into the file, so the file alone holds everything. The returned lock must be
    /// held until the swap is done.
    private func requireIdle() throws(StoreError) -> DatabaseUsageLock {
        guard let lock = DatabaseUsageLock(exclusive: path) else {
            throw StoreError(
                operation: .write, location: path, kind: .other,
                detail: "the database is in use by another ticktop process; stop it and restore again")
        }
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.inDatabase { db in
                try Self.requireTicktop(db, path: path)
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try queue.close()
        } catch {
            throw StoreError(operation: .write, location: path, error: error)
        }
        return lock
    }

    /// The online backup of `source` into a new file at `destination` (via a temporary name).
    private static func copy(_ source: DatabaseQueue, to destination: String, sourcePath: String) throws(StoreError) -> Int {
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        var pages = 0
        do {
            let target = try DatabaseQueue(path: partial)
            try source.backup(to: target) { progress in pages = progress.totalPageCount }
            // A standalone file: no write-ahead log beside it, readable even from a read-only folder.
            try target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try target.close()
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw StoreError(operation: .write, location: destination, error: error)
        }
        return pages
    }

    /// Runs a POSIX call that returns 0 on success; otherwise throws what it failed to do and why.
    private static func posix(_ what: String, _ call: () -> Int32) throws {
        guard call() == 0 else { throw FileFailure(description: "cannot \(what): \(String(cString: strerror(errno)))") }
    }

    /// A file operation that failed, in words (the store error around it names the database).
    private struct FileFailure: Error, CustomStringConvertible {
        var description: String
    }

    private static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

extension Timestamp {
    /// `20261206T031500Z`: a UTC time safe in file names.
    var fileStamp: String {
        String(iso8601.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "") + "Z"
    }
}
