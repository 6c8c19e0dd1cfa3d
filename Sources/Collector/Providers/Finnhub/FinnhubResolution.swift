/// How one of our timeframes is fetched from `/stock/candle`, and over which window.
///
/// Finnhub has no 4-hour resolution: 4Hour fetches `60` and rolls the candles up with
/// `BarAggregator` (UTC-aligned 4-hour buckets).
struct FinnhubResolution: Sendable, Hashable {
    /// The `resolution` parameter.
    var name: String
    /// The timeframe of the candles Finnhub returns (1Hour for our 4Hour).
    var fetched: Timeframe
    /// The timeframe asked for.
    var wanted: Timeframe

    init(_ timeframe: Timeframe) {
        wanted = timeframe
        switch timeframe {
        case .oneMinute: (name, fetched) = ("1", .oneMinute)
        case .fiveMinutes: (name, fetched) = ("5", .fiveMinutes)
        case .fifteenMinutes: (name, fetched) = ("15", .fifteenMinutes)
        case .thirtyMinutes: (name, fetched) = ("30", .thirtyMinutes)
        case .oneHour, .fourHours: (name, fetched) = ("60", .oneHour)
        case .oneDay: (name, fetched) = ("D", .oneDay)
        case .oneWeek: (name, fetched) = ("W", .oneWeek)
        case .oneMonth: (name, fetched) = ("M", .oneMonth)
        }
    }

    var isDaily: Bool { fetched >= .oneDay }
    var aggregates: Bool { fetched != wanted }

    /// `from` and `to` in Unix seconds covering every candle that starts in `range`: daily and
    /// longer widened by a bar and a day on each side (their stamps are dates, not instants),
    /// 4-hour aligned to whole buckets, intraday ending one candle after the range.
    /// Candles outside `range` are dropped after mapping.
    func window(covering range: ClosedRange<Timestamp>) -> (from: Int64, to: Int64) {
        let from: Timestamp
        let to: Timestamp
        if isDaily {
            let pad = wanted.nominalDuration + .seconds(86_400)
            (from, to) = (range.lowerBound - pad, range.upperBound + pad)
        } else if aggregates {
            let last = wanted.bucketStart(containing: range.upperBound)
            (from, to) = (wanted.bucketStart(containing: range.lowerBound), last + wanted.nominalDuration)
        } else {
            (from, to) = (range.lowerBound, range.upperBound + fetched.nominalDuration)
        }
        return (Self.seconds(from, roundingUp: false), Self.seconds(to, roundingUp: true))
    }

    private static func seconds(_ time: Timestamp, roundingUp: Bool) -> Int64 {
        let (quotient, remainder) = time.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        if remainder > 0, roundingUp { return quotient + 1 }
        if remainder < 0, !roundingUp { return quotient - 1 }
        return quotient
    }
}
