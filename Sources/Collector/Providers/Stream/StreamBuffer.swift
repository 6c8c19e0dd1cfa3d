import Synchronization

/// The bounded buffer between a stream's socket reader and the pipeline.
///
/// Overflow policy: a quote replaces the waiting quote of the same symbol (the latest
/// quote wins; each replaced one is counted as coalesced), so waiting quotes never exceed
/// the number of symbols. Trades and bars are never dropped: when `capacity` of them are
/// waiting, `push` says so and the reader waits for the next drain (`waitForRoom`) before
/// reading more from the socket: back-pressure instead of loss.
package final class StreamBuffer: Sendable {
    /// What one `drain` hands over: the values, and the counts since the previous drain.
    package struct Drained: Sendable {
        package var events: [MarketEvent]
        package var coalesced: Int
        package var dropped: Int
    }

    package var capacity: Int { gate.capacity }
    private struct State {
        var events: [MarketEvent] = []
        /// Where each symbol's waiting quote is in `events`.
        var quoteIndex: [Symbol: Int] = [:]
        var others = 0
        var coalesced = 0
        var dropped = 0
    }
    private let state = Mutex(State())
    private let gate: QueueGate
    private let bell: AsyncStream<Void>.Continuation
    /// Rings (coalesced) whenever values are waiting.
    package let doorbell: AsyncStream<Void>

    package init(capacity: Int = 10_000) {
        gate = QueueGate(capacity: capacity)
        (doorbell, bell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Adds one value; returns false when trades and bars have reached `capacity`.
    @discardableResult
    package func push(_ event: MarketEvent) -> Bool {
        push(contentsOf: CollectionOfOne(event))
    }

    /// Adds values in order under one lock and rings once (a frame's values are drained
    /// together, not the first of them alone); returns false when trades and bars have reached
    /// `capacity` (the reader then waits before reading more).
    @discardableResult
    package func push(contentsOf events: some Collection<MarketEvent>) -> Bool {
        guard !events.isEmpty else { return true }
        var hasRoom = true
        state.withLock { state in
            for event in events {
                if case .quote(let quote) = event {
                    // One look-up for a symbol not waiting yet (the usual case); a coalesced
                    // quote puts its symbol's first place back.
                    if let index = state.quoteIndex.updateValue(state.events.count, forKey: quote.symbol) {
                        state.quoteIndex[quote.symbol] = index
                        state.events[index] = event
                        state.coalesced += 1
                    } else {
                        state.events.append(event)
                    }
                } else {
                    state.events.append(event)
                    state.others += 1
                    hasRoom = gate.added()
                }
            }
        }
        bell.yield()
        return hasRoom
    }

    /// Counts a value the reader chose not to deliver (see `StreamCounters.dropped`).
    package func countDropped() { state.withLock { $0.dropped += 1 } }

    /// Waits until trades and bars are below `capacity` again (or the buffer finished).
    package func waitForRoom() async { await gate.waitForRoom() }

    /// Readers held in `waitForRoom` now (for tests: the proof that a reader waits).
    package var readersWaiting: Int { gate.waiting }

    /// Everything waiting, in arrival order (a coalesced quote keeps its first place), with
    /// the values coalesced and dropped since the last drain.
    package func drain() -> Drained {
        let (drained, others) = state.withLock { state in
            defer {
                state.quoteIndex.removeAll(keepingCapacity: true)
                state.others = 0
                state.coalesced = 0
                state.dropped = 0
            }
            // Handed over as they are (the array moves out, no value is copied).
            let events = state.events
            state.events = []
            state.events.reserveCapacity(events.count)
            return (Drained(events: events, coalesced: state.coalesced, dropped: state.dropped), state.others)
        }
        gate.taken(others)
        return drained
    }

    /// Ends the doorbell and lets a waiting reader go.
    package func finish() {
        bell.finish()
        gate.openForGood()
    }
}
