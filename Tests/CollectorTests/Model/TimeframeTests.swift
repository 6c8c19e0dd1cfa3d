import Collector
import CollectorTestSupport
import Testing

@Suite("Timeframe")
struct TimeframeTests {
    @Test(arguments: [
        ("1Min", Timeframe.oneMinute), ("1m", .oneMinute), ("5min", .fiveMinutes), ("1h", .oneHour),
        ("1Day", .oneDay), ("1w", .oneWeek), ("1mo", .oneMonth), ("1MONTH", .oneMonth)
    ])
    func parsing(_ text: String, _ expected: Timeframe) {
        #expect(Timeframe(parsing: text) == expected)
    }

    @Test func unknownSpellingIsNil() {
        #expect(Timeframe(parsing: "7Min") == nil)
    }

    @Test func buckets() {
        // 2026-03-04T15:07:42Z is a Wednesday.
        let t = Timestamp(seconds: 1_772_636_862)
        #expect(Timeframe.oneMinute.bucketStart(containing: t) == Timestamp(seconds: 1_772_636_820))
        #expect(Timeframe.fiveMinutes.bucketStart(containing: t) == Timestamp(seconds: 1_772_636_700))
        #expect(Timeframe.oneDay.bucketStart(containing: t) == Timestamp(seconds: 1_772_582_400))
        #expect(Timeframe.oneWeek.bucketStart(containing: t) == Timestamp(seconds: 1_772_409_600))  // Monday 2026-03-02
        #expect(Timeframe.oneMonth.bucketStart(containing: t) == Timestamp(seconds: 1_772_323_200))  // 2026-03-01
    }

    @Test func iso8601() {
        #expect(Timestamp(milliseconds: 1_772_636_862_123).iso8601 == "2026-03-04T15:07:42.123Z")
    }
}
