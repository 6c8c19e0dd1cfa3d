import Foundation

/// One stream's last accepted prices and the moves between them: the prices
/// (for the rolling median a unit error is judged against), the log returns
/// between consecutive accepted prices (for the typical move a spike is
/// judged against), and when the prices came (for the typical spacing).
/// Fixed memory: about `5 × capacity` doubles.
package struct RollingWindow: Sendable, Hashable {
    /// Fewer prices than this are too few to judge a new one against.
    package static let minimumCount = 5

    package let capacity: Int
    package private(set) var prices: SortedRing
    /// Log returns between consecutive accepted prices, `ln(p[i] / p[i - 1])`.
    package private(set) var returns: SortedRing
    /// Times of `prices` (nanoseconds), arrival order, same ring layout.
    private var times: [Int64] = []
    private var timeHead = 0
    /// The newest price's time.
    package private(set) var newestTime: Timestamp?

    package init(capacity: Int) {
        self.capacity = max(2, capacity)
        prices = SortedRing(capacity: self.capacity)
        returns = SortedRing(capacity: self.capacity - 1)
    }

    package var count: Int { prices.count }
    package var isEmpty: Bool { prices.isEmpty }
    /// The median accepted price; 0 when empty.
    package var median: Double { prices.median }
    /// The newest accepted price.
    package var newest: Double? { prices.newest }

    /// The mean time between the window's prices, if it holds two or more.
    package var meanSpacing: Duration? { meanSpacingNanoseconds.map { .nanoseconds($0) } }

    var meanSpacingNanoseconds: Int64? {
        guard times.count > 1, let newestTime else { return nil }
        let oldest = times.count < capacity ? times[0] : times[timeHead]
        let span = newestTime.nanoseconds &- oldest
        return span > 0 ? span / Int64(times.count - 1) : nil
    }

    /// Adds an accepted price (finite and positive; others are ignored) seen at `time`.
    package mutating func add(_ price: Double, at time: Timestamp) {
        guard price.isFinite, price > 0 else { return }
        if let previous = prices.newest { returns.add(log(price / previous)) }
        prices.add(price)
        if times.count < capacity {
            if times.isEmpty { times.reserveCapacity(capacity) }
            times.append(time.nanoseconds)
        } else {
            times[timeHead] = time.nanoseconds
            timeHead = (timeHead + 1) % capacity
        }
        newestTime = time
    }

    /// Restarts the prices from `values` (oldest first), e.g. after a
    /// confirmed level shift. The returns are kept: the stream's typical
    /// move did not change because its level did.
    package mutating func restart(from values: [(price: Double, time: Timestamp)]) {
        prices.removeAll()
        times.removeAll(keepingCapacity: true)
        timeHead = 0
        newestTime = nil
        var previous: Double?
        for (price, time) in values.suffix(capacity) where price.isFinite && price > 0 {
            if let previous { returns.add(log(price / previous)) }
            previous = price
            prices.add(price)
            times.append(time.nanoseconds)
            newestTime = time
        }
    }
}
