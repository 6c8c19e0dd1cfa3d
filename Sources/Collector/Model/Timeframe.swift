import Foundation

/// The span one bar covers, from one minute to one month.
public enum Timeframe: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case oneMinute = "1Min"
    case fiveMinutes = "5Min"
    case fifteenMinutes = "15Min"
    case thirtyMinutes = "30Min"
    case oneHour = "1Hour"
    case fourHours = "4Hour"
    case oneDay = "1Day"
    case oneWeek = "1Week"
    case oneMonth = "1Month"

    /// Parses `1Min`, `1min`, `1m`, `5Min`, `1h`, `1d`, `1w`, `1mo` and the like.
    public init?(parsing text: String) {
        let lower = text.trimmingBlanks().lowercased()
        if let match = Timeframe.allCases.first(where: { $0.rawValue.lowercased() == lower }) {
            self = match
            return
        }
        let aliases: [String: Timeframe] = [
            "1m": .oneMinute, "5m": .fiveMinutes, "15m": .fifteenMinutes, "30m": .thirtyMinutes,
            "1h": .oneHour, "4h": .fourHours, "1d": .oneDay, "1w": .oneWeek, "1mo": .oneMonth
        ]
        guard let match = aliases[lower] else { return nil }
        self = match
    }

    /// Nominal length; a month counts as 30 days (use `bucketStart` for calendar months).
    public var nominalDuration: Duration {
        switch self {
        case .oneMinute: .seconds(60)
        case .fiveMinutes: .seconds(300)
        case .fifteenMinutes: .seconds(900)
        case .thirtyMinutes: .seconds(1800)
        case .oneHour: .seconds(3600)
        case .fourHours: .seconds(14_400)
        case .oneDay: .seconds(86_400)
        case .oneWeek: .seconds(604_800)
        case .oneMonth: .seconds(2_592_000)
        }
    }

    /// The start (UTC) of the bar of this timeframe that contains `time`.
    /// Weeks start on Monday, months on the 1st.
    package func bucketStart(containing time: Timestamp) -> Timestamp {
        switch self {
        case .oneWeek:
            let day = time.startOfUTCDay
            let days = day.nanoseconds / 86_400_000_000_000
            // 1970-01-01 was a Thursday: (days + 3) mod 7 counts days since Monday.
            let sinceMonday = ((days + 3) % 7 + 7) % 7
            return day - .seconds(sinceMonday * 86_400)
        case .oneMonth:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month], from: time.date)
            return Timestamp(calendar.date(from: parts)!)
        default:
            let length = nominalDuration.nanosecondsValue
            let n = time.nanoseconds
            let floored = n >= 0 ? n / length : (n - length + 1) / length
            return Timestamp(nanoseconds: floored * length)
        }
    }

    public static func < (lhs: Timeframe, rhs: Timeframe) -> Bool {
        lhs.nominalDuration < rhs.nominalDuration
    }
}
