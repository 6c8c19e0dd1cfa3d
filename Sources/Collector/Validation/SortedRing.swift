/// The last `capacity` values added, kept both in arrival order (a ring) and
/// sorted, so the median is O(1) and the median absolute deviation O(n), with
/// no allocation once full. Memory is fixed: `2 × capacity` doubles.
package struct SortedRing: Sendable, Hashable {
    package let capacity: Int
    /// Arrival order; once full, `ring[head]` is the oldest value.
    private var ring: [Double] = []
    private var head = 0
    /// The same values, ascending.
    package private(set) var sorted: [Double] = []

    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    package var count: Int { sorted.count }
    package var isEmpty: Bool { sorted.isEmpty }

    /// The newest value, if any.
    package var newest: Double? {
        guard !ring.isEmpty else { return nil }
        return ring.count < capacity ? ring[ring.count - 1] : ring[(head + capacity - 1) % capacity]
    }

    /// The values, oldest first.
    package var inArrivalOrder: [Double] {
        ring.count < capacity ? ring : Array(ring[head...] + ring[..<head])
    }

    /// The median; 0 when empty.
    package var median: Double {
        let n = sorted.count
        guard n > 0 else { return 0 }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// The median absolute deviation from the median (unscaled); 0 when empty.
    /// Deviations grow outwards from the middle of the sorted values on each
    /// side, so merging the two sides finds the median deviation in n/2 steps.
    package func mad() -> Double {
        let n = sorted.count
        guard n > 1 else { return 0 }
        let m = median
        var right = Self.partition(sorted, below: m)
        var left = right - 1
        var lower = 0.0
        for rank in 0...(n / 2) {
            let leftDeviation = left >= 0 ? m - sorted[left] : .infinity
            let rightDeviation = right < n ? sorted[right] - m : .infinity
            let deviation: Double
            if leftDeviation <= rightDeviation {
                deviation = leftDeviation
                left -= 1
            } else {
                deviation = rightDeviation
                right += 1
            }
            if rank == (n - 1) / 2 { lower = deviation }
            if rank == n / 2 { return n % 2 == 1 ? deviation : (lower + deviation) / 2 }
        }
        return lower
    }

    /// Adds a finite value (others are ignored), dropping the oldest when full.
    package mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        if ring.count < capacity {
            if ring.isEmpty {
                ring.reserveCapacity(capacity)
                sorted.reserveCapacity(capacity)
            }
            ring.append(value)
            sorted.insert(value, at: Self.partition(sorted, below: value))
        } else {
            let oldest = ring[head]
            ring[head] = value
            head += 1
            if head == capacity { head = 0 }
            replace(oldest, with: value)
        }
    }

    /// Replaces one copy of `old` in `sorted` by `new`, shifting only the values between them.
    private mutating func replace(_ old: Double, with new: Double) {
        let from = Self.partition(sorted, below: old)
        sorted.withUnsafeMutableBufferPointer { values in
            var index = from
            if new > old {
                while index + 1 < values.count, values[index + 1] < new {
                    values[index] = values[index + 1]
                    index += 1
                }
            } else {
                while index > 0, values[index - 1] > new {
                    values[index] = values[index - 1]
                    index -= 1
                }
            }
            values[index] = new
        }
    }

    package mutating func removeAll() {
        ring.removeAll(keepingCapacity: true)
        sorted.removeAll(keepingCapacity: true)
        head = 0
    }

    /// The first index whose value is not below `value`.
    private static func partition(_ values: [Double], below value: Double) -> Int {
        values.partitioningIndex { !($0 < value) }
    }
}
