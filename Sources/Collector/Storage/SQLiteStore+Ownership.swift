import Foundation
import GRDB

extension SQLiteStore {
    /// `PRAGMA application_id` of a ticktop database: "TTOP" in ASCII (0x54544F50).
    /// Set on every database ticktop opens for writing; `file(1)` and other tools can read it.
    package static let applicationID: Int32 = 0x5454_4F50

    /// The tables that make a database without an application id (written by
    /// ticktop before it set one) recognisably ticktop's.
    static let adoptableTables: Set<String> = ["grdb_migrations", "bars", "latest_quotes"]

    /// Decides from a read-only look whether the file at `path` is ticktop's, before
    /// anything changes it: a missing or empty file (a new database), a file with
    /// ticktop's application id, or an older ticktop database (no id, ticktop's
    /// tables) pass. Anything else is refused with `.notTicktop` and left byte for
    /// byte as it was. With `mustExist`, a missing file is `.missing`.
    static func recognise(path: String, mustExist: Bool) throws(StoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if mustExist {
                throw StoreError(
                    operation: .open, location: path, kind: .missing,
                    detail: "there is no database file there (nothing has been stored at this path yet)")
            }
            return
        }
        if isDirectory.boolValue {
            throw StoreError(
                operation: .open, location: path, kind: .notADatabase, detail: "it is a directory, not a database file")
        }
        let attributes = (try? FileManager.default.attributesOfItem(atPath: path)) ?? [:]
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 && !mustExist { return }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "ticktop.store.recognise"
        configuration.busyMode = Self.busyMode
        let (id, tables): (Int32, [String])
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            (id, tables) = try queue.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try String.fetchAll(
                        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                )
            }
            try queue.close()
        } catch {
            throw StoreError(operation: .open, location: path, error: error)
        }
        if id == applicationID { return }
        if id == 0 && (tables.isEmpty || adoptableTables.isSubset(of: tables)) { return }
        let idText =
            id == 0 ? "no application id" : "application id 0x\(String(UInt32(bitPattern: id), radix: 16, uppercase: true))"
        let shown = tables.prefix(6).joined(separator: ", ") + (tables.count > 6 ? ", ..." : "")
        throw StoreError(
            operation: .open, location: path, kind: .notTicktop,
            detail: "it is not a ticktop database (\(idText); tables: \(shown.isEmpty ? "none" : shown)) and was left "
                + "untouched; choose another file with --db or store.path")
    }
}
