import Collector
import Synchronization

/// A wall clock that shows whatever time the test sets.
public final class FixedTimeSource: TimeSource, Sendable {
    private let current: Mutex<Timestamp>

    public init(_ time: Timestamp = MarketFixtures.baseTime) { current = Mutex(time) }

    public func now() -> Timestamp { current.withLock { $0 } }
    public func set(_ time: Timestamp) { current.withLock { $0 = time } }
    public func advance(by duration: Duration) { current.withLock { $0 = $0 + duration } }
}
