import Foundation

/// Which part of the trading day an instrument's market is in.
///
/// US equities and indices: pre-market 04:00-09:30, regular 09:30-16:00,
/// after-hours 16:00-20:00 New York time on NYSE trading days (13:00 and 17:00
/// on early-close days), closed on weekends and holidays. FX trades from
/// Sunday 17:00 to Friday 17:00 New York time; crypto never closes. The rules
/// live in `MarketCalendar`.
public enum MarketSession: String, Sendable, Hashable, Codable, CaseIterable {
    case pre
    case open
    case post
    case closed

    package static func current(for assetClass: AssetClass, at time: Timestamp) -> MarketSession {
        status(for: assetClass, at: time).session
    }

    /// The session with its reason (`holiday: Thanksgiving`, `early close 13:00`), on the NYSE calendar.
    public static func status(for assetClass: AssetClass, at time: Timestamp) -> SessionStatus {
        MarketCalendar.nyse.status(for: assetClass, at: time)
    }

    static let newYork: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = MarketCalendar.newYorkZone
        return calendar
    }()
}
