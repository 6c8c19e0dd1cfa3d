/// What a `StoreWriter` has done so far.
public struct StoreWriterStatistics: Sendable, Hashable {
    /// Successful writes (each one transaction).
    public var batchesWritten = 0
    /// Quotes, bars and anomalies in successful writes.
    public var rowsWritten = 0
    public var barsInserted = 0
    /// Bars that were already stored and left unchanged.
    public var barsAlreadyStored = 0
    /// Failed write attempts, retries included.
    public var failures = 0
    /// Rows given up on: failed twice, or submitted after `finish()`.
    public var rowsDropped = 0
    /// The description of the last write error.
    public var lastError: String?

    public init() {}
}
