import Collector

/// The date and time forms of files, providers and the command line, and what is then done
/// with a parsed time (buckets, trading days, sessions, a day added as `--to` does).
enum DateFuzzing {
    static func run(_ text: String) {
        let times = [Timestamp(rfc3339: text), Timestamp(newYorkLocal: text)].compactMap { $0 }
        _ = Timeframe(parsing: text)
        for time in times {
            precondition(time.isSupported, "a parsed time outside the supported range: \(time.nanoseconds)")
            _ = time.newYorkTradingDay
            _ = time.startOfUTCDay
            _ = time.iso8601 + time.rfc3339Seconds + time.utcDateText
            _ = time + .seconds(86_400) - .nanoseconds(1)
            _ = MarketCalendar.newYorkClock(at: time)
            for timeframe in Timeframe.allCases { _ = timeframe.bucketStart(containing: time) }
            for assetClass in AssetClass.allCases { _ = MarketSession.current(for: assetClass, at: time) }
        }
    }
}
