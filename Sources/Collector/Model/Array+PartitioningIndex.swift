extension Array {
    /// The first index whose element satisfies `belongsInSecondPartition`, by binary search: the
    /// array must be partitioned by it (every element after the first that satisfies it does too),
    /// as a sorted array is by "greater than" or "at least" a value.
    @inlinable
    package func partitioningIndex(where belongsInSecondPartition: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if belongsInSecondPartition(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
