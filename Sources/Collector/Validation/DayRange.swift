/// A symbol's price range on its two most recent trading days, from its
/// accepted quotes (mid) and daily bars (low and high), across sources. A
/// quote is judged against its own day's range joined with the previous
/// day's, so the first quotes of a day already have a reference (from
/// yesterday's quotes or daily bar). Two slots: bounded per symbol.
package struct DayRange: Sendable, Hashable {
    package struct Day: Sendable, Hashable {
        /// Days since 1970-01-01 (see `DayRange.tradingDay`).
        package var index: Int64
        package var low: Double
        package var high: Double
    }

    package private(set) var latest: Day?
    package private(set) var previous: Day?

    package init() {}

    /// Widens the range of day `index` to include `low...high`. Days older
    /// than the two kept are ignored; a newer day pushes the oldest out.
    package mutating func include(low: Double, high: Double, day index: Int64) {
        guard low.isFinite, high.isFinite, low > 0, low <= high else { return }
        if var day = latest, day.index == index {
            day.low = min(day.low, low)
            day.high = max(day.high, high)
            latest = day
        } else if latest == nil || latest!.index < index {
            previous = latest
            latest = Day(index: index, low: low, high: high)
        } else if var day = previous, day.index == index {
            day.low = min(day.low, low)
            day.high = max(day.high, high)
            previous = day
        } else if previous == nil || previous!.index < index {
            previous = Day(index: index, low: low, high: high)
        }
    }

    /// The range a value on day `index` is judged against: that day's and the
    /// previous kept day's (at most `lookback` days earlier, so a long
    /// weekend still counts), joined. Nil when neither is known.
    package func reference(for index: Int64, lookback: Int64 = 5) -> (low: Double, high: Double)? {
        var range: (low: Double, high: Double)?
        // The two days in turn, without building an array of them for each quote.
        func join(_ day: Day?) {
            guard let day, day.index <= index, day.index >= index - lookback else { return }
            range = range.map { (min($0.low, day.low), max($0.high, day.high)) } ?? (day.low, day.high)
        }
        join(latest)
        join(previous)
        return range
    }

    /// The trading day of a value: the New York date for US equities and
    /// indices (UTC shifted back 4 hours, exact for every time from 04:00 to
    /// 20:00 New York in summer and winter), the UTC date otherwise. Daily
    /// and longer bars count for the UTC date they start on, which is their
    /// trading date whichever convention the provider uses (00:00Z, New York
    /// midnight, 09:30 New York).
    package static func tradingDay(of event: MarketEvent) -> Int64 {
        tradingDay(of: ValueFacts(event))
    }

    package static func tradingDay(of value: ValueFacts) -> Int64 {
        let day: Int64 = 86_400_000_000_000
        var nanoseconds = value.time.nanoseconds
        let isDaily = value.timeframe.map { $0 >= .oneDay } ?? false
        if !isDaily, value.assetClass == .equity || value.assetClass == .index { nanoseconds -= 4 * 3_600_000_000_000 }
        return nanoseconds >= 0 ? nanoseconds / day : (nanoseconds - day + 1) / day
    }
}
