import ServiceLifecycle
import Synchronization

/// Ends a `--once` run: returns when every watched symbol has a value, every
/// running source has been heard from and the start-up backfill is done, or
/// when the deadline passes, whichever is first.
/// Run it with `successTerminationBehavior: .gracefullyShutdownGroup` so its
/// return shuts the collector down in order (pending writes are flushed).
public struct CompletionWatcher: Service {
    public enum Outcome: Sendable, Equatable {
        case complete
        case deadlinePassed
    }

    let state: MarketState
    let backfill: BackfillProgress
    let deadline: Duration
    let clock: any Clock<Duration>
    let outcome: OutcomeBox

    /// Holds the outcome for the caller to read after the group stops.
    public final class OutcomeBox: Sendable {
        private let value = Mutex<Outcome?>(nil)
        public init() {}
        func set(_ outcome: Outcome) { value.withLock { $0 = outcome } }
        /// The outcome, or nil if the watcher never finished (e.g. interrupted).
        public var outcome: Outcome? { value.withLock { $0 } }
    }

    public init(
        state: MarketState, backfill: BackfillProgress, deadline: Duration, clock: any Clock<Duration>,
        outcome: OutcomeBox
    ) {
        self.state = state
        self.backfill = backfill
        self.deadline = deadline
        self.clock = clock
        self.outcome = outcome
    }

    /// Returns at completion or the deadline; on graceful shutdown (a signal)
    /// it returns at once, leaving the outcome unset.
    public func run() async {
        let result = await cancelWhenGracefulShutdown { await self.waitForCompletion() }
        if let result { outcome.set(result) }
    }

    /// Whether `snapshot` completes the run (the start-up backfill aside): every symbol has a
    /// value and every running source has been heard from (delivered or failed), so failovers
    /// and disagreements show.
    package static func isComplete(_ snapshot: MarketSnapshot) -> Bool {
        snapshot.everySymbolHasValue && !snapshot.sources.contains { $0.state == .starting }
    }

    private func waitForCompletion() async -> Outcome? {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { [state, backfill] in
                await backfill.waitUntilFinished()
                for await snapshot in await state.snapshots() where Self.isComplete(snapshot) {
                    return .complete
                }
                return nil
            }
            group.addTask { [clock, deadline] in
                do {
                    try await clock.sleep(for: deadline, purpose: "completion deadline")
                    return .deadlinePassed
                } catch {
                    return nil
                }
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
