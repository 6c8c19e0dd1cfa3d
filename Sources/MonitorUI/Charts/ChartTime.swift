import Collector

/// Bar start times written in UTC for chart axes and bar tables, computed from
/// the integer timestamp (no Foundation calendar on the render path).
enum ChartTime {
    /// The UTC calendar fields of an instant.
    struct Fields: Equatable {
        var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64
    }

    /// Whether bars of this timeframe are labelled by time of day rather than by date.
    static func isIntraday(_ timeframe: Timeframe) -> Bool { timeframe < .oneDay }

    /// An axis label: `HH:MM` for intraday timeframes, `MM-DD` for daily and above.
    static func axisLabel(_ time: Timestamp, timeframe: Timeframe) -> String {
        let f = fields(time)
        return isIntraday(timeframe) ? "\(two(f.hour)):\(two(f.minute))" : "\(two(f.month))-\(two(f.day))"
    }

    /// A table cell: `YYYY-MM-DD HH:MM` for intraday timeframes, `YYYY-MM-DD` otherwise.
    static func tableLabel(_ time: Timestamp, timeframe: Timeframe) -> String {
        let f = fields(time)
        let date = "\(f.year)-\(two(f.month))-\(two(f.day))"
        return isIntraday(timeframe) ? "\(date) \(two(f.hour)):\(two(f.minute))" : date
    }

    /// The UTC fields, using the days-from-civil inverse (proleptic Gregorian calendar).
    static func fields(_ time: Timestamp) -> Fields {
        let seconds = floorDivide(time.nanoseconds, 1_000_000_000)
        let days = floorDivide(seconds, 86_400)
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Fields(year: year, month: month, day: day, hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60)
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
