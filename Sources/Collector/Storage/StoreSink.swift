/// Where the ingest pipeline hands values for persistence. `StoreWriter` is the
/// real one; tests may record batches instead.
public protocol StoreSink: Sendable {
    /// Queues a batch for writing; never blocks and never drops.
    func submit(_ batch: StoreBatch)
    /// No more batches will come; the sink flushes what is pending and stops.
    func finish()
    /// Returns once fewer than `limit` submitted rows wait to be written: a producer of much
    /// history (the backfill) holds back on it, so its memory is bounded by a few batches, not
    /// by the history. A sink that writes nothing behind, or keeps no count, returns at once.
    func waitForRoom(belowRows limit: Int) async
}

extension StoreSink {
    public func waitForRoom(belowRows limit: Int) async {}
}
