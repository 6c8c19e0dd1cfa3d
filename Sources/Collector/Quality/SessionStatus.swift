/// A market's session at one instant, with why it is what it is: a weekend,
/// a holiday, an early close. What the status line and `--once` show.
public struct SessionStatus: Sendable, Hashable, CustomStringConvertible {
    /// What kind of day it is for this market.
    public enum Day: Sendable, Hashable {
        /// A full trading day (or, for crypto, any day).
        case regular
        /// A shortened trading day: the regular session ends at `closeMinute` (minutes after local midnight).
        case earlyClose(closeMinute: Int)
        case weekend
        case holiday(MarketHoliday)
    }

    public var session: MarketSession
    package var day: Day

    public init(session: MarketSession, day: Day = .regular) {
        self.session = session
        self.day = day
    }

    /// `holiday: Thanksgiving`, `weekend`, `early close 13:00`; nil on an ordinary day.
    public var reason: String? {
        switch day {
        case .regular: nil
        case .earlyClose(let minute): "early close \(Self.clock(minute))"
        case .weekend: "weekend"
        case .holiday(let holiday): "holiday: \(holiday)"
        }
    }

    /// `open`, `closed (Thanksgiving)`, `closed (Christmas, observed)`, `closed (weekend)`, `open, closes 13:00`.
    public var description: String {
        switch (day, session) {
        case (.holiday(let holiday), _): "closed (\(holiday.name)\(holiday.observed ? ", observed" : ""))"
        case (.weekend, _): "closed (weekend)"
        case (.earlyClose(let minute), .pre), (.earlyClose(let minute), .open):
            "\(session.rawValue), closes \(Self.clock(minute))"
        case (.earlyClose(let minute), .post): "post (early close \(Self.clock(minute)))"
        default: session.rawValue
        }
    }

    /// `13:00` for 780 minutes after midnight.
    static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return "\(hours < 10 ? "0" : "")\(hours):\(minutes < 10 ? "0" : "")\(minutes)"
    }
}
