/// Plans a backfill of one series (symbol and timeframe) from what is stored, so a run after
/// any interruption converges to complete history without fetching a stored bar again.
///
/// Stored bars are not a contiguous prefix of the window: a live bar can be stored before
/// the symbol's backfill runs, and a backfill cut short by a kill or a full disk leaves its
/// later bars out. So the plan fetches:
/// - every run of bars the market calendar expects and the store lacks (`GapFinder`);
/// - before the oldest stored bar, the window from its start (all of it when nothing is
///   stored), extended hours included, as a first backfill would;
/// - after the newest stored bar, everything up to now (bars since the last run).
///
/// Holes close together share one request while the merged span fits in one page of the
/// provider's answer (`MarketDataSource.historyBarsPerRequest`): one request instead of two.
public struct BackfillPlanner: Sendable {
    package let finder: GapFinder

    public init(finder: GapFinder = GapFinder()) { self.finder = finder }

    /// The plan for `window` (its upper bound is now), given the starts stored in it.
    package func plan(
        _ symbol: Symbol, _ timeframe: Timeframe, in window: ClosedRange<Timestamp>, stored: [Timestamp],
        barsPerRequest: Int
    ) -> BackfillPlan {
        let step = timeframe.nominalDuration
        let gaps = missing(symbol, timeframe, in: window, stored: Set(stored))
        var wanted = gaps.map { $0.first...($0.last + step - .nanoseconds(1)) }
        if let oldest = stored.min(), let newest = stored.max() {
            if let first = wanted.first, first.upperBound < oldest {
                wanted[0] = window.lowerBound...first.upperBound
            }
            if newest + step < window.upperBound { wanted.append((newest + step)...window.upperBound) }
        } else {
            wanted = [window]
        }
        return BackfillPlan(
            symbol: symbol, timeframe: timeframe, window: window, gaps: gaps,
            requests: Self.merged(wanted, step: step, barsPerRequest: barsPerRequest))
    }

    /// The expected bars of the window missing from `stored`: only bars complete by the
    /// window's end (a bar that is still forming is not missing).
    package func missing(_ symbol: Symbol, _ timeframe: Timeframe, in window: ClosedRange<Timestamp>, stored: Set<Timestamp>)
        -> [BarGap]
    {
        let lastComplete = window.upperBound - timeframe.nominalDuration
        guard window.lowerBound <= lastComplete else { return [] }
        let expected = finder.expectedStarts(symbol.assetClass, timeframe, in: window.lowerBound...lastComplete)
        return finder.gaps(expected: expected, stored: stored)
    }

    /// `windows` sorted and merged: overlapping or touching ones always, others while the
    /// merged span holds at most `barsPerRequest` bars.
    static func merged(_ windows: [ClosedRange<Timestamp>], step: Duration, barsPerRequest: Int)
        -> [ClosedRange<Timestamp>]
    {
        let pageSpan = step * max(1, barsPerRequest)
        var result: [ClosedRange<Timestamp>] = []
        for window in windows.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            guard let last = result.last else {
                result.append(window)
                continue
            }
            let touches = window.lowerBound <= last.upperBound + .nanoseconds(1)
            let upper = max(last.upperBound, window.upperBound)
            if touches || upper - last.lowerBound < pageSpan {
                result[result.count - 1] = last.lowerBound...upper
            } else {
                result.append(window)
            }
        }
        return result
    }
}

/// What a backfill fetches for one series, and why.
package struct BackfillPlan: Sendable, Hashable {
    package var symbol: Symbol
    package var timeframe: Timeframe
    /// The span judged: from the configured depth back to now.
    package var window: ClosedRange<Timestamp>
    /// The expected bars the store lacks.
    package var gaps: [BarGap]
    /// What to ask the source for, oldest first and not overlapping, one request each
    /// (the source pages within a request where it must).
    package var requests: [ClosedRange<Timestamp>]
}
