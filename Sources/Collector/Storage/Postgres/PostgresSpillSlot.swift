import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a collector on a PostgreSQL store keeps the rows it cannot write while the store is
/// unreachable (`StoreWriter`'s `StoreSpillFile`): in the state directory, named after the store
/// (`postgres-HOST-PORT-DATABASE[-SCHEMA].spill.jsonl`), so that the next start finds and writes
/// them. Collectors of one machine sharing a state directory each claim a slot of their own, held
/// by an exclusive `flock` on the slot's `.lock` file while the process runs (`-2`, `-3`, ... when
/// the first is taken); the next process to claim a slot a stopped one left adopts its rows.
package final class PostgresSpillSlot: Sendable {
    /// The spill file's path without `.spill.jsonl` (`StoreSpillFile(forDatabaseAt:)` adds it).
    package let base: String
    private let descriptor: Int32

    /// Slots tried before giving up (the rows then wait in memory only).
    static let slots = 64

    /// Claims the first free slot for `store` in `directory` (created if missing); nil when none can be.
    package init?(for store: PostgresStore, in directory: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = Self.name(of: store)
        for slot in 1...Self.slots {
            let base = directory + "/" + name + (slot == 1 ? "" : "-\(slot)")
            let descriptor = open(base + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { return nil }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                self.base = base
                self.descriptor = descriptor
                return
            }
            close(descriptor)
        }
        return nil
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// `postgres-HOST-PORT-DATABASE[-SCHEMA]`, with any character but letters, digits, `.` and `_` as `_`.
    static func name(of store: PostgresStore) -> String {
        let url = store.url
        let parts =
            ["postgres", url.host ?? url.socketDirectory ?? "local", String(url.port), url.database]
            + (store.schema.map { [$0] } ?? [])
        return parts.map { part in
            String(
                part.unicodeScalars.map {
                    $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) || $0 == "." || $0 == "_"
                        ? Character($0) : "_"
                })
        }.joined(separator: "-")
    }
}
