import Collector
import Synchronization

/// A store sink that keeps every batch it is given, for pipeline tests.
public final class RecordingStoreSink: StoreSink, Sendable {
    private let state = Mutex<(batches: [StoreBatch], finished: Bool)>(([], false))

    public init() {}

    public func submit(_ batch: StoreBatch) { state.withLock { $0.batches.append(batch) } }
    public func finish() { state.withLock { $0.finished = true } }

    public var batches: [StoreBatch] { state.withLock { $0.batches } }
    public var finished: Bool { state.withLock { $0.finished } }
}
