#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An advisory `flock` on the database file that says "a ticktop process has this database open".
///
/// Every open `SQLiteStore` holds it shared; `ticktop db restore` takes it exclusively and refuses
/// to replace a database that some process still uses. SQLite's own locks are POSIX record locks,
/// which are independent of `flock` on Linux and macOS, so the two never interfere.
final class DatabaseUsageLock: Sendable {
    private let descriptor: Int32

    /// Holds the lock shared; nil when the file cannot be opened (the lock is advisory only).
    init?(sharing path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_SH) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    /// Holds the lock exclusively, without waiting; nil when another holder has it (or the file
    /// cannot be opened).
    init?(exclusive path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
