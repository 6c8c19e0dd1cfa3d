/// Where the ingest pipeline hands values for persistence. `StoreWriter` is the
/// real one; tests may record batches instead.
public protocol StoreSink: Sendable {
    /// Queues a batch for writing; never blocks and never drops.
    func submit(_ batch: StoreBatch)
    /// No more batches will come; the sink flushes what is pending and stops.
    func finish()
}
