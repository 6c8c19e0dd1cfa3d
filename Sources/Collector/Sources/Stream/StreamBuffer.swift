import Synchronization

/// The bounded buffer between a stream's socket reader and the pipeline.
///
/// Overflow policy: a quote replaces the waiting quote of the same symbol (the latest
/// quote wins; each replaced one is counted in `coalesced`), so waiting quotes never
/// exceed the number of symbols. Trades and bars are never dropped: when `capacity` of
/// them are waiting, `push` says so and the reader hands the batch over itself before
/// reading more from the socket (back-pressure instead of loss).
public final class StreamBuffer: Sendable {
    public let capacity: Int
    private struct State {
        var events: [MarketEvent?] = []
        /// Where each symbol's waiting quote is in `events`.
        var quoteIndex: [Symbol: Int] = [:]
        var others = 0
        var coalesced = 0
    }
    private let state = Mutex(State())
    private let bell: AsyncStream<Void>.Continuation
    /// Rings (coalesced) whenever values are waiting.
    public let doorbell: AsyncStream<Void>

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
        (doorbell, bell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds one value; returns false when trades and bars have reached `capacity`.
    @discardableResult
    public func push(_ event: MarketEvent) -> Bool {
        let hasRoom = state.withLock { state -> Bool in
            if case .quote(let quote) = event {
                if let index = state.quoteIndex[quote.symbol] {
                    state.events[index] = event
                    state.coalesced += 1
                } else {
                    state.quoteIndex[quote.symbol] = state.events.count
                    state.events.append(event)
                }
            } else {
                state.events.append(event)
                state.others += 1
            }
            return state.others < capacity
        }
        bell.yield()
        return hasRoom
    }

    /// Everything waiting, in arrival order (a coalesced quote keeps its first place).
    public func drain() -> [MarketEvent] {
        state.withLock { state in
            defer {
                state.events.removeAll(keepingCapacity: true)
                state.quoteIndex.removeAll(keepingCapacity: true)
                state.others = 0
            }
            return state.events.compactMap { $0 }
        }
    }

    /// Quotes replaced by a newer quote of their symbol before they were delivered.
    public var coalesced: Int { state.withLock { $0.coalesced } }

    /// Ends the doorbell.
    public func finish() { bell.finish() }
}
