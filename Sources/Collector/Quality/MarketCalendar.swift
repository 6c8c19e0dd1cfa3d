import Foundation

/// Trading sessions per asset class, in New York time across daylight-saving
/// changes, with the NYSE holidays and early closes (see `MarketCalendar+Holidays`).
///
/// - US equities and indices: pre-market 04:00-09:30, regular 09:30-16:00,
///   after-hours 16:00-20:00 on NYSE trading days; closed on weekends and
///   holidays. On an early-close day the regular session ends at 13:00 and
///   after-hours runs 13:00-17:00.
/// - FX: Sunday 17:00 to Friday 17:00. The FX day runs from 17:00 the evening
///   before; the FX days of 25 December and 1 January are closed (17:00 on
///   24/31 December to 17:00 on the day). Other holidays are ignored.
/// - Crypto: always open.
public struct MarketCalendar: Sendable {
    /// Closures outside the rules (national days of mourning, storms), by date.
    package var specialClosures: [CivilDate: String]

    public init(specialClosures: [CivilDate: String] = MarketCalendar.nyseSpecialClosures) {
        self.specialClosures = specialClosures
    }

    /// The NYSE calendar with its known special closures.
    public static let nyse = MarketCalendar()

    // Minutes after New York midnight.
    static let preMarketOpen = 4 * 60
    static let regularOpen = 9 * 60 + 30
    static let regularClose = 16 * 60
    static let afterHoursClose = 20 * 60
    static let earlyClose = 13 * 60
    static let earlyAfterHoursClose = 17 * 60
    static let fxRollover = 17 * 60

    static let newYorkZone = TimeZone(identifier: "America/New_York")!

    /// The New York local date and minute of the day at `time`.
    package static func newYorkClock(at time: Timestamp) -> (date: CivilDate, minute: Int) {
        let ns = time.nanoseconds
        let utcSeconds = Int(ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000)
        let local = utcSeconds + newYorkZone.secondsFromGMT(for: time.date)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (CivilDate(daysSinceEpoch: days), (local - days * 86_400) / 60)
    }

    /// The session of `assetClass`'s market at `time`, with the reason (weekend, holiday, early close).
    package func status(for assetClass: AssetClass, at time: Timestamp) -> SessionStatus {
        switch assetClass {
        case .crypto: SessionStatus(session: .open)
        case .fx: fxStatus(at: time)
        case .equity, .index: usEquityStatus(at: time)
        }
    }

    /// What kind of day `date` is on the NYSE.
    package func tradingDay(_ date: CivilDate) -> SessionStatus.Day {
        if date.isWeekend { return .weekend }
        if let holiday = holiday(on: date) { return .holiday(holiday) }
        if isEarlyClose(date) { return .earlyClose(closeMinute: Self.earlyClose) }
        return .regular
    }

    func usEquityStatus(at time: Timestamp) -> SessionStatus {
        let (date, minute) = Self.newYorkClock(at: time)
        let day = tradingDay(date)
        let close: Int
        switch day {
        case .weekend, .holiday: return SessionStatus(session: .closed, day: day)
        case .earlyClose(let minute): close = minute
        case .regular: close = Self.regularClose
        }
        let postClose = close == Self.regularClose ? Self.afterHoursClose : Self.earlyAfterHoursClose
        let session: MarketSession =
            switch minute {
            case Self.preMarketOpen..<Self.regularOpen: .pre
            case Self.regularOpen..<close: .open
            case close..<postClose: .post
            default: .closed
            }
        return SessionStatus(session: session, day: day)
    }

    func fxStatus(at time: Timestamp) -> SessionStatus {
        let (date, minute) = Self.newYorkClock(at: time)
        let fxDay = minute >= Self.fxRollover ? date.adding(days: 1) : date
        if fxDay.isWeekend { return SessionStatus(session: .closed, day: .weekend) }
        switch (fxDay.month, fxDay.day) {
        case (12, 25): return SessionStatus(session: .closed, day: .holiday(MarketHoliday(date: fxDay, name: "Christmas")))
        case (1, 1): return SessionStatus(session: .closed, day: .holiday(MarketHoliday(date: fxDay, name: "New Year's Day")))
        default: return SessionStatus(session: .open)
        }
    }
}
