/// The `[store]` table: where and how values are written.
public struct StoreConfiguration: Sendable, Equatable {
    public var kind: StoreKind
    /// The database file; `nil` means `XDGPaths.defaultDatabasePath`. Ignored for `.memory` and `.postgres`.
    package var path: String?
    /// For `.postgres`: the NAME of the environment variable holding the connection URL (`store.url_env`).
    /// The URL itself, which may carry a password, is never written in the file.
    package var urlEnvironment: String?
    /// For `.postgres`: whether the connection is encrypted (`store.tls`).
    package var tls: PostgresTLSMode
    /// Most rows written in one transaction. Unset in the file, it depends on `kind`
    /// (`defaultBatchSize(for:)`).
    public var batchSize: Int
    /// Longest a value waits before it is written. Unset in the file, it depends on `kind`
    /// (`defaultFlushInterval(for:)`).
    public var flushInterval: Duration
    package var synchronous: SynchronousMode
    /// How often a scheduled backup of the SQLite database is taken; `nil` (the default) means never.
    package var backupEvery: Duration?
    /// Scheduled backups kept; older ones are deleted after each new backup.
    package var backupKeep: Int
    /// Where scheduled backups go; `nil` means a `backups` folder beside the database.
    package var backupDirectory: String?
    /// The most bytes the database file may take (`PRAGMA max_page_count` on every connection);
    /// `nil` (the default) means no limit but the disk. A full database is handled like a full disk.
    package var maxSize: Int64?
    /// Records every trade and quote as received on the tape (`store.ticks`); off by default.
    package var ticks: Bool

    /// The allowed range of `batchSize`.
    package static let batchSizeRange = 1...100_000

    /// `batch_size` when the file does not set it: 1000 for SQLite and memory, 10,000 for PostgreSQL,
    /// where every transaction also costs its round trips (BEGIN, the change number, COPY's two,
    /// COMMIT: about 2 ms on loopback, more over a network), which at 1000 rows a transaction took
    /// a third of the write rate (`ticktop-bench postgres`). Live writes are small either way; a
    /// backfill fills the larger transactions.
    package static func defaultBatchSize(for kind: StoreKind) -> Int {
        kind == .postgres ? 10_000 : 1000
    }
    /// `flush_interval` when the file does not set it: 1 s for SQLite and memory, 250 ms for
    /// PostgreSQL. Every write is a transaction: writing once a second rather than four times took
    /// about a sixth off the CPU of the board with 50 symbols (`Tests/Bench/board-footprint.sh`).
    /// A crash (not a quit, which writes everything) loses at most a second of latest
    /// quotes, which the next quote replaces, and of minute bars, which the next backfill fetches.
    /// A PostgreSQL store is followed by other terminals (`LISTEN`), which see a write only
    /// once it is committed: there a quarter of a second stays the most a change waits.
    package static func defaultFlushInterval(for kind: StoreKind) -> Duration {
        kind == .postgres ? .milliseconds(250) : .seconds(1)
    }
    /// The shortest `backupEvery` accepted.
    package static let backupEveryMinimum = Duration.seconds(60)
    /// The allowed range of `backupKeep`.
    package static let backupKeepRange = 1...1000
    /// The smallest `maxSize` accepted: room for the schema and some rows.
    package static let maxSizeMinimum: Int64 = 64 << 10

    package init(
        kind: StoreKind = .sqlite,
        path: String? = nil,
        batchSize: Int? = nil,
        flushInterval: Duration? = nil,
        synchronous: SynchronousMode = .normal,
        backupEvery: Duration? = nil,
        backupKeep: Int = 7,
        backupDirectory: String? = nil,
        maxSize: Int64? = nil,
        urlEnvironment: String? = nil,
        tls: PostgresTLSMode = .prefer,
        ticks: Bool = false
    ) {
        self.ticks = ticks
        self.kind = kind
        self.path = path
        self.urlEnvironment = urlEnvironment
        self.tls = tls
        self.batchSize = batchSize ?? Self.defaultBatchSize(for: kind)
        self.flushInterval = flushInterval ?? Self.defaultFlushInterval(for: kind)
        self.synchronous = synchronous
        self.backupEvery = backupEvery
        self.backupKeep = backupKeep
        self.backupDirectory = backupDirectory
        self.maxSize = maxSize
    }

    /// `kind = "sqlite"`, `path = ""`, `batch_size = 1000` (10,000 with `kind = "postgres"`),
    /// `flush_interval = "1s"` (250ms with `kind = "postgres"`), `synchronous = "normal"`,
    /// `backup_every = "off"`, `backup_keep = 7`, `backup_dir = ""`, `max_size = "off"`, `url_env = ""`,
    /// `tls = "prefer"`, `ticks = false`.
    package static let defaults = StoreConfiguration()
}
