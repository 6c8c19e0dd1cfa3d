/// One time-series request: `outputsize` and, for older intraday history, a `month` slice.
struct AlphaVantageSeriesRequest: Hashable, Sendable {
    var outputSize: String
    /// `YYYY-MM` (intraday only).
    var month: String?

    static let compact = AlphaVantageSeriesRequest(outputSize: "compact")
    static let full = AlphaVantageSeriesRequest(outputSize: "full")

    var isFull: Bool { outputSize == "full" }
}

/// Which requests cover a range. `compact` returns the latest 100 points, so it covers any
/// range starting within 100 intervals of now (gaps only stretch it further back); `full`
/// covers 20+ years of daily bars or the trailing 30 days of intraday bars; older intraday
/// history comes one New York month per request (`month=YYYY-MM`).
enum AlphaVantagePlan {
    /// 140 days hold exactly 100 weekdays, so compact surely covers a start 139 days back.
    static let dailyCompactWindow = Duration.seconds(139 * 86_400)
    /// Intraday `full` without `month` returns the trailing 30 days; keep a day of margin.
    static let intradayFullWindow = Duration.seconds(29 * 86_400)

    static func daily(from start: Timestamp, now: Timestamp) -> [AlphaVantageSeriesRequest] {
        start >= now - dailyCompactWindow ? [.compact] : [.full]
    }

    static func intraday(_ range: ClosedRange<Timestamp>, minutes: Int, now: Timestamp) -> [AlphaVantageSeriesRequest] {
        let start = range.lowerBound
        if start >= now - .seconds(Int64(100 * minutes * 60)) { return [.compact] }
        if start >= now - intradayFullWindow { return [.full] }
        let months = newYorkMonths(from: start, through: min(range.upperBound, now))
        return months.isEmpty ? [.full] : months.map { AlphaVantageSeriesRequest(outputSize: "full", month: $0) }
    }

    /// `YYYY-MM` of every New York month from `start` through `end`, oldest first.
    static func newYorkMonths(from start: Timestamp, through end: Timestamp) -> [String] {
        guard start <= end, var (year, month) = yearMonth(start), let last = yearMonth(end) else { return [] }
        var months: [String] = []
        while (year, month) <= last {
            months.append("\(year)-\(month < 10 ? "0" : "")\(month)")
            month += 1
            if month > 12 {
                month = 1
                year += 1
            }
        }
        return months
    }

    private static func yearMonth(_ time: Timestamp) -> (Int, Int)? {
        let text = time.newYorkTradingDay.utcDateText
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        return (year, month)
    }
}
