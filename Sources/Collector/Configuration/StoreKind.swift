/// Where collected values are kept (`store.kind`).
public enum StoreKind: String, Sendable, Equatable, CaseIterable {
    /// A SQLite database file (the default).
    case sqlite
    /// In memory only; nothing survives a restart.
    case memory
    /// A PostgreSQL database shared by several processes; its URL is in the environment variable `store.url_env`.
    case postgres
}
