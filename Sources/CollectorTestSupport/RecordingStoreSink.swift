import Collector
import Synchronization

/// A store sink that keeps every batch it is given, for pipeline tests.
package final class RecordingStoreSink: StoreSink, Sendable {
    private let state = Mutex<(batches: [StoreBatch], finished: Bool)>(([], false))

    package init() {}

    package func submit(_ batch: StoreBatch) { state.withLock { $0.batches.append(batch) } }
    package func finish() { state.withLock { $0.finished = true } }

    package var batches: [StoreBatch] { state.withLock { $0.batches } }
    package var finished: Bool { state.withLock { $0.finished } }
}
