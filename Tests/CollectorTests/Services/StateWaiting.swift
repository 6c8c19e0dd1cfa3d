import Collector
import CollectorTestSupport
import Logging
import Synchronization

extension MarketState {
    /// Waits for the first snapshot that satisfies `condition`. Tests bound the
    /// wait with `withSafetyLimit`, so a broken condition fails instead of hanging.
    func firstSnapshot(where condition: @Sendable (MarketSnapshot) -> Bool) async -> MarketSnapshot? {
        for await snapshot in snapshots() where condition(snapshot) { return snapshot }
        return nil
    }
}

/// A wait that did not end in time; says which wait.
struct SafetyLimitExceeded: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var description: String { "waited too long at \(file):\(line)" }
}

/// Runs `operation`, failing if it has not finished within a generous real-time
/// limit. Only a guard against hangs: no assertion depends on timing. It gives
/// up waiting even when the operation ignores cancellation (a stuck operation is
/// left behind in a test that has failed anyway).
func withSafetyLimit<T: Sendable>(
    seconds: Int = 20, file: String = #fileID, line: Int = #line, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let settler = Settler(continuation)
        let work = Task {
            do { settler.settle(.success(try await operation())) } catch { settler.settle(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: .seconds(seconds))
            work.cancel()
            settler.settle(.failure(SafetyLimitExceeded(file: file, line: line)))
        }
    }
}

/// Resumes a continuation once, whichever side comes first.
final class Settler<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>
    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }
    func settle(_ result: Result<T, any Error>) {
        continuation.withLock { pending in
            pending?.resume(with: result)
            pending = nil
        }
    }
}

/// An in-process source's stream with its pipeline and state, running on a manual clock in a
/// `ServiceRig` (stopped when the test ends: its suite has the `.stopsItsRigs` trait).
struct CollectorRig {
    let state: MarketState
    let pipeline: IngestPipeline
    let services: ServiceRig

    init(
        source: any MarketDataSource, watched: WatchedSymbols, watchlist: [Symbol], clock: ManualClock,
        breaker: CircuitBreaker.Settings = .init()
    ) {
        let state = MarketState(
            watchlist: watchlist, sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
        let pipeline = IngestPipeline(state: state, sink: nil, timeSource: clock, logger: .quiet())
        let collector = LiveStreamService(
            inProcess: source, breaker: breaker, watched: watched, pipeline: pipeline, clock: clock, timeSource: clock,
            settings: LiveStreamSettings(backoff: RetryBackoff(initial: .seconds(1), maximum: .seconds(30)), jitter: { $0 }),
            logger: .quiet())
        self.state = state
        self.pipeline = pipeline
        services = ServiceRig([("ingest", pipeline), ("collector", collector)])
    }
}
