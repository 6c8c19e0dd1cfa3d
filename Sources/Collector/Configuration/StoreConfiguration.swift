/// The `[store]` table: where and how values are written.
public struct StoreConfiguration: Sendable, Equatable {
    public var kind: StoreKind
    /// The database file; `nil` means `XDGPaths.defaultDatabasePath`. Ignored for `.memory`.
    public var path: String?
    /// Most rows written in one transaction.
    public var batchSize: Int
    /// Longest a value waits before it is written.
    public var flushInterval: Duration
    public var synchronous: SynchronousMode
    /// How often a scheduled backup of the SQLite database is taken; `nil` (the default) means never.
    public var backupEvery: Duration?
    /// Scheduled backups kept; older ones are deleted after each new backup.
    public var backupKeep: Int
    /// Where scheduled backups go; `nil` means a `backups` folder beside the database.
    public var backupDirectory: String?

    /// The allowed range of `batchSize`.
    public static let batchSizeRange = 1...100_000
    /// The shortest `backupEvery` accepted.
    public static let backupEveryMinimum = Duration.seconds(60)
    /// The allowed range of `backupKeep`.
    public static let backupKeepRange = 1...1000

    public init(
        kind: StoreKind = .sqlite,
        path: String? = nil,
        batchSize: Int = 1000,
        flushInterval: Duration = .milliseconds(250),
        synchronous: SynchronousMode = .normal,
        backupEvery: Duration? = nil,
        backupKeep: Int = 7,
        backupDirectory: String? = nil
    ) {
        self.kind = kind
        self.path = path
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.synchronous = synchronous
        self.backupEvery = backupEvery
        self.backupKeep = backupKeep
        self.backupDirectory = backupDirectory
    }

    /// `kind = "sqlite"`, `path = ""`, `batch_size = 1000`, `flush_interval = "250ms"`, `synchronous = "normal"`,
    /// `backup_every = "off"`, `backup_keep = 7`, `backup_dir = ""`.
    public static let defaults = StoreConfiguration()
}
