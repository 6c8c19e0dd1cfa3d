/// The reference price for CHG: the close of the regular session before the one the shown
/// price belongs to, with where it came from (`PreviousCloseRule` picks it).
public struct PreviousClose: Sendable, Hashable, CustomStringConvertible {
    /// What carried the close.
    public enum Origin: String, Sendable, Hashable {
        /// A stored or received daily bar of that session.
        case dailyBar = "daily bar"
        /// A provider's previous-close field on a quote (Yahoo `regularMarketPreviousClose`, Finnhub `pc`, ...).
        case quoteField = "quote"
    }

    package var close: Double
    public var source: SourceID
    public var origin: Origin
    /// The session whose close it is: its New York date for US equities, its UTC date otherwise.
    public var session: CivilDate

    package init(close: Double, source: SourceID, origin: Origin, session: CivilDate) {
        self.close = close
        self.source = source
        self.origin = origin
        self.session = session
    }

    /// `YAHOO daily bar 2026-12-03`.
    public var description: String { "\(source.label) \(origin.rawValue) \(session)" }
}

/// A provider's previous-close field as received, with the session of the quote that carried it
/// (the field is the close of the session before that one). Kept apart from the quote, so a
/// newer quote without the field (a stream trade) does not lose it.
package struct ReportedPreviousClose: Sendable, Hashable {
    package var close: Double
    /// The session of the quote that carried it (`PreviousCloseRule.session(of:at:)`).
    package var quoteSession: CivilDate

    package init(close: Double, quoteSession: CivilDate) {
        self.close = close
        self.quoteSession = quoteSession
    }
}

/// The one rule for a symbol's previous close: the close of the regular session before the
/// session of the shown price, by the market calendar. A daily bar of that session wins (sources
/// best first), else a provider's previous-close field carried by a quote of the same session as
/// the shown price (sources best first). The same answer whichever source's price is shown, so
/// CHG does not jump when the selected source changes.
package struct PreviousCloseRule: Sendable {
    package var calendar: MarketCalendar {
        didSet { memo = SessionMemo() }
    }
    /// The NYSE sessions worked out so far with `calendar` (copies of the rule share it).
    private var memo = SessionMemo()

    package init(calendar: MarketCalendar = .nyse) {
        self.calendar = calendar
    }

    /// The session a value at `time` belongs to. US equities and indices: the latest NYSE trading
    /// day on or before its New York date (Saturday's quote is Friday's). Crypto: its UTC date.
    /// FX: the latest weekday on or before its UTC date.
    package func session(of assetClass: AssetClass, at time: Timestamp) -> CivilDate {
        switch assetClass {
        case .equity, .index:
            return memo.session(onOrBeforeNewYorkDateAt: time) { workOutLatestSession(onOrBefore: $0, assetClass: assetClass) }
        case .crypto, .fx:
            let day = CivilDate(daysSinceEpoch: Int(time.startOfUTCDay.nanoseconds / 86_400_000_000_000))
            return latestSession(onOrBefore: day, assetClass: assetClass)
        }
    }

    /// The regular session before `session`.
    package func session(before session: CivilDate, assetClass: AssetClass) -> CivilDate {
        latestSession(onOrBefore: session.adding(days: -1), assetClass: assetClass)
    }

    /// The previous close for a price of `session`, from `dailyBars` (per source) and `reported`
    /// fields (per source), trying `sources` in order (best first); nil when none qualifies.
    package func previousClose<Bars: BidirectionalCollection<Bar>>(
        assetClass: AssetClass, session: CivilDate, sources: [SourceID],
        dailyBars: (SourceID) -> Bars, reported: [SourceID: ReportedPreviousClose]
    ) -> PreviousClose? {
        let previous = self.session(before: session, assetClass: assetClass)
        guard let start = Timestamp.utcMidnight(year: previous.year, month: previous.month, day: previous.day) else { return nil }
        for source in sources {
            // Daily bars start at the UTC midnight of their trading date.
            if let bar = dailyBars(source).last(where: { $0.start == start && $0.close > 0 }) {
                return PreviousClose(close: bar.close, source: source, origin: .dailyBar, session: previous)
            }
        }
        for source in sources {
            if let field = reported[source], field.quoteSession == session, field.close > 0 {
                return PreviousClose(close: field.close, source: source, origin: .quoteField, session: previous)
            }
        }
        return nil
    }

    private func latestSession(onOrBefore date: CivilDate, assetClass: AssetClass) -> CivilDate {
        switch assetClass {
        case .equity, .index: memo.session(onOrBefore: date) { workOutLatestSession(onOrBefore: $0, assetClass: assetClass) }
        case .crypto, .fx: workOutLatestSession(onOrBefore: date, assetClass: assetClass)
        }
    }

    private func workOutLatestSession(onOrBefore date: CivilDate, assetClass: AssetClass) -> CivilDate {
        var day = date
        // Never more than a few days back (a weekend next to a holiday); bounded all the same.
        for _ in 0..<10 where !isSession(day, assetClass: assetClass) { day = day.adding(days: -1) }
        return day
    }

    private func isSession(_ date: CivilDate, assetClass: AssetClass) -> Bool {
        switch assetClass {
        case .crypto: return true
        case .fx: return !date.isWeekend
        case .equity, .index:
            switch calendar.tradingDay(date) {
            case .regular, .earlyClose: return true
            case .weekend, .holiday: return false
            }
        }
    }
}
