import Foundation

/// Which part of the trading day an instrument's market is in.
///
/// US equities and indices: pre-market 04:00-09:30, regular 09:30-16:00,
/// after-hours 16:00-20:00 New York time on weekdays (daylight saving follows
/// America/New_York); closed otherwise. FX trades from Sunday 17:00 to Friday
/// 17:00 New York time; crypto never closes. Exchange holidays are not known
/// yet, so a holiday counts as a trading day.
public enum MarketSession: String, Sendable, Hashable, Codable, CaseIterable {
    case pre
    case open
    case post
    case closed

    /// Whether values are expected to keep arriving (freshness alerts apply).
    public var expectsData: Bool { self == .open }

    public static func current(for assetClass: AssetClass, at time: Timestamp) -> MarketSession {
        switch assetClass {
        case .crypto:
            return .open
        case .fx:
            return fxSession(at: time)
        case .equity, .index:
            return usEquitySession(at: time)
        }
    }

    static let newYork: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "America/New_York")!
        return calendar
    }()

    /// Weekday (1 = Sunday) and minutes since local midnight in New York.
    static func newYorkClock(at time: Timestamp) -> (weekday: Int, minutes: Int) {
        let parts = newYork.dateComponents([.weekday, .hour, .minute], from: time.date)
        return (parts.weekday ?? 1, (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    static func usEquitySession(at time: Timestamp) -> MarketSession {
        let (weekday, minutes) = newYorkClock(at: time)
        guard (2...6).contains(weekday) else { return .closed }
        switch minutes {
        case 240..<570: return .pre
        case 570..<960: return .open
        case 960..<1200: return .post
        default: return .closed
        }
    }

    static func fxSession(at time: Timestamp) -> MarketSession {
        let (weekday, minutes) = newYorkClock(at: time)
        switch weekday {
        case 7: return .closed  // Saturday
        case 1: return minutes >= 1020 ? .open : .closed  // Sunday from 17:00
        case 6: return minutes < 1020 ? .open : .closed  // Friday until 17:00
        default: return .open
        }
    }
}
