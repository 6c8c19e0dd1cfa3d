/// How one of our timeframes is fetched from the v8 chart endpoint, and over which windows.
///
/// Yahoo has no 4-hour interval: 4Hour fetches `60m` bars and rolls them up with
/// `BarAggregator` (UTC-aligned 4-hour buckets, as every aggregated 4Hour bar in ticktop).
struct YahooInterval: Sendable, Hashable {
    /// The `interval` parameter.
    var name: String
    /// The timeframe of the bars Yahoo returns (1Hour for our 4Hour).
    var fetched: Timeframe
    /// The timeframe asked for.
    var wanted: Timeframe
    /// Longest span one request may cover: Yahoo serves about 7 days of 1m bars per request [U].
    var maximumSpan: Duration?

    init(_ timeframe: Timeframe) {
        wanted = timeframe
        maximumSpan = nil
        switch timeframe {
        case .oneMinute:
            (name, fetched) = ("1m", .oneMinute)
            maximumSpan = .seconds(7 * 86_400)
        case .fiveMinutes: (name, fetched) = ("5m", .fiveMinutes)
        case .fifteenMinutes: (name, fetched) = ("15m", .fifteenMinutes)
        case .thirtyMinutes: (name, fetched) = ("30m", .thirtyMinutes)
        case .oneHour, .fourHours: (name, fetched) = ("60m", .oneHour)
        case .oneDay: (name, fetched) = ("1d", .oneDay)
        case .oneWeek: (name, fetched) = ("1wk", .oneWeek)
        case .oneMonth: (name, fetched) = ("1mo", .oneMonth)
        }
    }

    /// Daily and longer bars are stamped with their trading date, not an instant.
    var isDaily: Bool { fetched >= .oneDay }

    /// Whether the fetched bars are rolled up into `wanted`.
    var aggregates: Bool { fetched != wanted }

    /// `(period1, period2)` pairs in Unix seconds whose answers cover every bar starting in `range`.
    ///
    /// Daily and longer bars are stamped by Yahoo at the local session open, which may fall on the
    /// previous UTC day (Sydney) or after UTC midnight, so their window is widened by a bar and a
    /// day on each side; intraday windows end one bar after the range so its last bar is included;
    /// 4-hour windows start at the bucket holding the range start so its first bar is whole.
    /// Bars outside `range` are dropped after mapping.
    func windows(covering range: ClosedRange<Timestamp>) -> [(period1: Int64, period2: Int64)] {
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
        let start = Self.seconds(from, roundingUp: false)
        let end = Self.seconds(to, roundingUp: true)
        guard let span = maximumSpan.map({ $0.nanosecondsValue / 1_000_000_000 }), end - start > span else {
            return [(start, end)]
        }
        return stride(from: start, to: end, by: Int(span)).map { ($0, min($0 + span, end)) }
    }

    private static func seconds(_ time: Timestamp, roundingUp: Bool) -> Int64 {
        let (quotient, remainder) = time.nanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        if remainder > 0, roundingUp { return quotient + 1 }
        if remainder < 0, !roundingUp { return quotient - 1 }
        return quotient
    }
}
