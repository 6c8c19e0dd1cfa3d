/// A run of consecutive expected bars missing from stored history.
public struct BarGap: Sendable, Hashable, CustomStringConvertible {
    /// First and last missing bar start.
    public var first: Timestamp
    public var last: Timestamp
    public var missingBars: Int

    package init(first: Timestamp, last: Timestamp, missingBars: Int) {
        self.first = first
        self.last = last
        self.missingBars = missingBars
    }

    public var description: String {
        missingBars == 1
            ? "\(first.rfc3339Seconds) (1 bar)" : "\(first.rfc3339Seconds) to \(last.rfc3339Seconds) (\(missingBars) bars)"
    }
}
