/// Compares the quotes several sources give for one symbol. A source whose mid
/// departs from the consensus by more than the tolerance disagrees. With three
/// or more sources the consensus is the median of all of them, so one bad
/// source cannot drag it (the median of just the *others* would be the mean of
/// one good and one bad quote); with two, each is compared with the other.
/// The tolerance is a fixed number of basis points plus half of the quoted
/// spreads (wide quotes may differ more) plus an allowance per second of age
/// difference (an older quote may lag a moving market).
public struct ConsensusChecker: Sendable, Hashable {
    public var toleranceBasisPoints: Double
    public var spreadAllowance: Double
    public var basisPointsPerSecondOfAge: Double

    public init(toleranceBasisPoints: Double = 50, spreadAllowance: Double = 0.5, basisPointsPerSecondOfAge: Double = 2) {
        self.toleranceBasisPoints = toleranceBasisPoints
        self.spreadAllowance = spreadAllowance
        self.basisPointsPerSecondOfAge = basisPointsPerSecondOfAge
    }

    /// One source that disagrees: its mid, the others' median, and by how much.
    public struct Disagreement: Sendable, Hashable {
        public var source: SourceID
        public var mid: Double
        public var median: Double
        public var basisPoints: Double
        public var tolerance: Double
    }

    /// The disagreeing sources among `quotes` (fresh quotes from usable sources,
    /// one per source). Fewer than two quotes: nothing to compare. With exactly
    /// two, both are named, since neither can be shown to be the odd one out.
    /// The spread and age allowances compare each quote with the others.
    public func disagreements(among quotes: [Quote]) -> [Disagreement] {
        guard quotes.count >= 2 else { return [] }
        var result: [Disagreement] = []
        for (index, quote) in quotes.enumerated() {
            let others = quotes.enumerated().filter { $0.offset != index }.map(\.element)
            let median = Self.median((quotes.count >= 3 ? quotes : others).map(\.mid))
            guard median > 0, quote.mid > 0 else { continue }
            let deviation = abs(quote.mid - median) / median * 10_000
            let spread = (quote.spread / quote.mid + Self.median(others.map { $0.spread / $0.mid })) / 2 * 10_000
            let newestOther = others.map(\.exchangeTime).max() ?? quote.exchangeTime
            let lag = abs((newestOther - quote.exchangeTime).secondsValue)
            let tolerance = toleranceBasisPoints + spreadAllowance * max(spread, 0) + basisPointsPerSecondOfAge * lag
            if deviation > tolerance {
                result.append(Disagreement(source: quote.source, mid: quote.mid, median: median, basisPoints: deviation, tolerance: tolerance))
            }
        }
        return result
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
