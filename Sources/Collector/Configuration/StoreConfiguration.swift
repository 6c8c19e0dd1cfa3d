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

    /// The allowed range of `batchSize`.
    public static let batchSizeRange = 1...100_000

    public init(
        kind: StoreKind = .sqlite,
        path: String? = nil,
        batchSize: Int = 1000,
        flushInterval: Duration = .milliseconds(250),
        synchronous: SynchronousMode = .normal
    ) {
        self.kind = kind
        self.path = path
        self.batchSize = batchSize
        self.flushInterval = flushInterval
        self.synchronous = synchronous
    }

    /// `kind = "sqlite"`, `path = ""`, `batch_size = 1000`, `flush_interval = "250ms"`, `synchronous = "normal"`.
    public static let defaults = StoreConfiguration()
}
