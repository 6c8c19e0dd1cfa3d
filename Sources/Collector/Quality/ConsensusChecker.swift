/// Compares the quotes several sources give for one symbol. A source whose mid
/// (its last trade when it sends no bid and ask: `Quote.level`, named in the result) departs from the consensus by more than the tolerance disagrees. With three
/// or more sources the consensus is the median of all of them, so one bad
/// source cannot drag it (the median of just the *others* would be the mean of
/// one good and one bad quote); with two, each is compared with the other.
/// The tolerance is a fixed number of basis points plus half of the quoted
/// spreads (wide quotes may differ more; a last trade has none) plus an allowance per second of age
/// difference (an older quote may lag a moving market).
package struct ConsensusChecker: Sendable, Hashable {
    package var toleranceBasisPoints: Double
    package var spreadAllowance: Double
    package var basisPointsPerSecondOfAge: Double

    package init(toleranceBasisPoints: Double = 50, spreadAllowance: Double = 0.5, basisPointsPerSecondOfAge: Double = 2) {
        self.toleranceBasisPoints = toleranceBasisPoints
        self.spreadAllowance = spreadAllowance
        self.basisPointsPerSecondOfAge = basisPointsPerSecondOfAge
    }

    /// One source that disagrees: its mid (or last trade, `levelName` says which), the
    /// others' median, and by how much.
    package struct Disagreement: Sendable, Hashable {
        package var source: SourceID
        package var mid: Double
        /// `mid`, or `last` for a quote without both sides.
        package var levelName: String = "mid"
        package var median: Double
        package var basisPoints: Double
        package var tolerance: Double
    }

    /// The disagreeing sources among `quotes` (fresh quotes from usable sources,
    /// one per source). Fewer than two quotes: nothing to compare. With exactly
    /// two, both are named, since neither can be shown to be the odd one out.
    /// The spread and age allowances compare each quote with the others.
    package func disagreements(among quotes: [Quote]) -> [Disagreement] {
        guard quotes.count >= 2 else { return [] }
        // Each quote's level and relative spread, worked out once: a midpoint is exact decimal
        // arithmetic, too dear to redo for every pair.
        let levels = quotes.map(\.level)
        let spreads = quotes.map(Self.relativeSpread)
        let medianOfAll = quotes.count >= 3 ? Self.median(levels.map(\.value)) : nil
        var result: [Disagreement] = []
        for (index, quote) in quotes.enumerated() {
            let others = quotes.indices.filter { $0 != index }
            let median = medianOfAll ?? Self.median(others.map { levels[$0].value })
            let level = levels[index]
            guard median > 0, level.value > 0 else { continue }
            let deviation = abs(level.value - median) / median * 10_000
            let spread = (spreads[index] + Self.median(others.map { spreads[$0] })) / 2 * 10_000
            let newestOther = others.map { quotes[$0].exchangeTime }.max() ?? quote.exchangeTime
            let lag = abs((newestOther - quote.exchangeTime).secondsValue)
            let tolerance = toleranceBasisPoints + spreadAllowance * max(spread, 0) + basisPointsPerSecondOfAge * lag
            if deviation > tolerance {
                result.append(
                    Disagreement(
                        source: quote.source, mid: level.value, levelName: level.name, median: median, basisPoints: deviation,
                        tolerance: tolerance))
            }
        }
        return result
    }

    /// Spread over mid; 0 for a quote without both sides.
    static func relativeSpread(_ quote: Quote) -> Double {
        guard let spread = quote.spread, let mid = quote.mid, mid > 0 else { return 0 }
        return spread / mid
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
