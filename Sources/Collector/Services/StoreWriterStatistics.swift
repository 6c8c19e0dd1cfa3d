/// What a `StoreWriter` has done so far, and how its writes stand now.
public struct StoreWriterStatistics: Sendable, Hashable {
    /// Successful writes (each one transaction).
    package var batchesWritten = 0
    /// Quotes, bars and anomalies in successful writes.
    public var rowsWritten = 0
    package var barsInserted = 0
    /// Bars that were already stored and left unchanged.
    package var barsAlreadyStored = 0
    /// Bars already stored with other values: the stored version was kept as a revision and replaced.
    public var barsRevised = 0
    /// `barsRevised` by the source that sent the new values.
    public var revisedBySource: [SourceID: Int] = [:]
    /// Failed write attempts, retries included.
    public var failures = 0
    /// The description of the last write error.
    public var lastError: String?
    /// When writes started failing, while they still fail.
    public var failingSince: Timestamp?
    /// Why they fail, in a few words (`disk full`), while they still fail.
    public var failureCause: String?
    /// Rows kept until a write works again (in memory and in the spill file).
    public var rowsWaiting = 0
    /// Of those, the rows in the spill file.
    package var rowsSpilled = 0
    /// The spill file, when the store has one.
    public var spillPath: String?
    /// Rows given up on: no room left to keep them, values no store takes (NaN),
    /// or submitted after `finish()`.
    public var rowsDropped = 0
    /// Dropped rows by kind (`bars`, `quotes`, `anomalies`, `alerts`, `transitions`).
    public var droppedByKind: [String: Int] = [:]
    /// The symbols whose quotes, bars or anomalies were dropped.
    public var droppedSymbols: Set<Symbol> = []
    /// Bars and quotes the store refused because this collector had lost their symbol's lease to
    /// another collector of the fleet, which collects them now (fencing; logged by the store).
    public var rowsFenced = 0
    /// Of `rowsFenced`, those of symbols whose lease this collector lost (not handed over or
    /// released by itself): collected and not stored (`StoreWriteResult.rowsOfLostLeases`).
    public var rowsOfLostLeases = 0
    /// Lines of a spill file that could not be read back (cut short by a crash).
    public var unreadableSpillLines = 0
    /// The tape, when `[store] ticks = true` (attached by `CollectorRuntime.snapshot()`).
    public var tape: TapeStatistics?

    public init() {}

    /// True while writes fail.
    public var isFailing: Bool { failingSince != nil }

    /// Everything collected was stored: nothing waits and nothing was dropped.
    public var everythingStored: Bool {
        rowsWaiting == 0 && rowsDropped == 0 && rowsOfLostLeases == 0 && unreadableSpillLines == 0
            && (tape?.ticksLost ?? 0) == 0
    }

    mutating func recordDrop(_ batch: StoreBatch) {
        rowsDropped += batch.count
        for (kind, count) in batch.countsByKind where count > 0 {
            droppedByKind[kind, default: 0] += count
        }
        droppedSymbols.formUnion(batch.quotes.map(\.symbol))
        droppedSymbols.formUnion(batch.bars.map(\.symbol))
        droppedSymbols.formUnion(batch.anomalies.map(\.symbol))
    }
}
