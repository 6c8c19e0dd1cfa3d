/// Finds bars missing from stored history using the market calendar, so that
/// weekends, holidays, the hours after an early close and closed nights are
/// never reported as gaps.
///
/// Expected bars: daily bars on every trading day (US equities and indices:
/// NYSE trading days; FX: Monday to Friday; crypto: every day), stamped at the
/// UTC midnight of the date as ticktop stores them. Intraday bars of US
/// equities and indices: the regular session only (09:30 to 16:00 New York, to
/// 13:00 on early closes; extended hours trade too thinly to expect every bar).
/// Crypto: around the clock; FX: Sunday 17:00 to Friday 17:00 New York.
/// Weekly and monthly bars are not checked.
public struct GapFinder: Sendable {
    package let calendar: MarketCalendar

    public init(calendar: MarketCalendar = .nyse) { self.calendar = calendar }

    /// Whether gaps can be judged for this timeframe.
    public static func supports(_ timeframe: Timeframe) -> Bool {
        timeframe != .oneWeek && timeframe != .oneMonth
    }

    /// The bar starts expected in `range` for a symbol of `assetClass`, oldest first.
    public func expectedStarts(_ assetClass: AssetClass, _ timeframe: Timeframe, in range: ClosedRange<Timestamp>)
        -> [Timestamp]
    {
        guard Self.supports(timeframe) else { return [] }
        if timeframe == .oneDay { return expectedDays(assetClass, in: range) }
        let step = timeframe.nominalDuration
        var start = timeframe.bucketStart(containing: range.lowerBound)
        if start < range.lowerBound { start = start + step }
        var result: [Timestamp] = []
        while start <= range.upperBound {
            if isTrading(assetClass, barStart: start, length: step) { result.append(start) }
            start = start + step
        }
        return result
    }

    /// The runs of `expected` starts that are not in `stored`.
    public func gaps(expected: [Timestamp], stored: Set<Timestamp>) -> [BarGap] {
        var result: [BarGap] = []
        var current: BarGap?
        for start in expected {
            if stored.contains(start) {
                if let gap = current { result.append(gap) }
                current = nil
            } else if var gap = current {
                gap.last = start
                gap.missingBars += 1
                current = gap
            } else {
                current = BarGap(first: start, last: start, missingBars: 1)
            }
        }
        if let gap = current { result.append(gap) }
        return result
    }

    private func expectedDays(_ assetClass: AssetClass, in range: ClosedRange<Timestamp>) -> [Timestamp] {
        let day: Int64 = 86_400_000_000_000
        var cursor = range.lowerBound.startOfUTCDay
        if cursor < range.lowerBound { cursor = cursor + .nanoseconds(day) }
        var result: [Timestamp] = []
        while cursor <= range.upperBound {
            let date = CivilDate(daysSinceEpoch: Int(cursor.nanoseconds / day))
            let trades: Bool =
                switch assetClass {
                case .crypto: true
                case .fx: !date.isWeekend
                case .equity, .index:
                    switch calendar.tradingDay(date) {
                    case .regular, .earlyClose: true
                    case .weekend, .holiday: false
                    }
                }
            if trades { result.append(cursor) }
            cursor = cursor + .nanoseconds(day)
        }
        return result
    }

    /// Whether a bar of `length` starting at `barStart` lies wholly in trading time.
    private func isTrading(_ assetClass: AssetClass, barStart: Timestamp, length: Duration) -> Bool {
        switch assetClass {
        case .crypto:
            return true
        case .fx:
            return calendar.status(for: .fx, at: barStart).session == .open
        case .equity, .index:
            let (date, minute) = MarketCalendar.newYorkClock(at: barStart)
            let close: Int
            switch calendar.tradingDay(date) {
            case .regular: close = MarketCalendar.regularClose
            case .earlyClose(let closeMinute): close = closeMinute
            case .weekend, .holiday: return false
            }
            let minutes = Int(length.secondsValue / 60)
            return minute >= MarketCalendar.regularOpen && minute + minutes <= close
        }
    }
}
