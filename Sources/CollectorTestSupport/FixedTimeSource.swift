import Collector
import Synchronization

/// A wall clock that shows whatever time the test sets.
package final class FixedTimeSource: TimeSource, Sendable {
    private let current: Mutex<Timestamp>

    package init(_ time: Timestamp = MarketFixtures.baseTime) { current = Mutex(time) }

    package func now() -> Timestamp { current.withLock { $0 } }
    package func set(_ time: Timestamp) { current.withLock { $0 = time } }
    package func advance(by duration: Duration) { current.withLock { $0 = $0 + duration } }
}
