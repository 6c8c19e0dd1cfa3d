import Foundation
import GRDB

/// The `-wal` and `-shm` files SQLite keeps beside a WAL database while it is open.
///
/// A read-only connection creates them when they are missing but cannot remove them when it
/// closes (only a connection that may write checkpoints the log and removes them), so a read-only
/// command (`history`, `db check`, `db export`) would leave files behind that were not there.
/// `WALSidecars` notes before opening whether they were there; after the read-only connections
/// closed, `removeIfCreated()` lets SQLite remove them: a brief connection that may write reads
/// the schema and closes, and SQLite removes the files only when that connection is the last on
/// the database (it checks with a lock), so a database another process has open keeps them.
/// A file this process cannot write (SQLite then opens it read-only) keeps them too.
struct WALSidecars: Sendable {
    let databasePath: String
    /// Whether either file was there before the read-only open.
    let existedBefore: Bool

    init(databasePath: String) {
        self.databasePath = databasePath
        existedBefore = Self.suffixes.contains { FileManager.default.fileExists(atPath: databasePath + $0) }
    }

    static let suffixes = ["-wal", "-shm"]

    /// Removes the files a read-only open created; call after its connections are closed.
    func removeIfCreated() {
        guard !existedBefore, FileManager.default.fileExists(atPath: databasePath),
            Self.suffixes.contains(where: { FileManager.default.fileExists(atPath: databasePath + $0) })
        else { return }
        var configuration = Configuration()
        configuration.label = "ticktop.wal-cleanup"
        configuration.foreignKeysEnabled = false
        configuration.busyMode = .timeout(1)
        guard let queue = try? DatabaseQueue(path: databasePath, configuration: configuration) else { return }
        // Reading opens the log; closing the last connection that may write removes it and the index.
        _ = try? queue.inDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") }
        try? queue.close()
    }
}
