import Foundation

/// Dates in the exchange's time zone, as UTC midnights.
struct YahooLocalDay {
    private let calendar: Calendar
    private let isNewYork: Bool

    init(zone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
        isNewYork = zone.identifier == "America/New_York"
    }

    /// The UTC midnight of the local date of `instant`.
    func start(ofDayContaining instant: Timestamp) -> Timestamp {
        if isNewYork { return instant.newYorkTradingDay }
        let parts = calendar.dateComponents([.year, .month, .day], from: instant.date)
        return Timestamp.utcMidnight(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? instant
    }
}
