/// SQLite's `PRAGMA synchronous` setting (`store.synchronous`).
package enum SynchronousMode: String, Sendable, Equatable, CaseIterable {
    /// Safe with WAL against application crashes; the default.
    case normal
    /// Also survives power loss, at the cost of an fsync per transaction.
    case full
}
