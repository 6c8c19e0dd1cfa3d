import Collector
import CollectorTestSupport
import Testing

@Suite("Timestamp parsing")
struct TimestampParsingTests {
    @Test(arguments: [
        ("2024-03-01T14:30:00Z", 1_709_303_400_000_000_000 as Int64),
        ("2024-03-01T14:30:00.9Z", 1_709_303_400_900_000_000),
        ("2024-03-01T14:30:16.91Z", 1_709_303_416_910_000_000),
        ("2021-02-22T19:15:09.722539521Z", 1_614_021_309_722_539_521),
        ("2024-03-01T09:30:00-05:00", 1_709_303_400_000_000_000),
        ("2024-03-01T15:30:00+01:00", 1_709_303_400_000_000_000),
        ("2024-03-01", 1_709_251_200_000_000_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000_000_000),
        ("1969-12-31T23:59:59Z", -1_000_000_000)
    ])
    func parsesRFC3339Exactly(text: String, nanoseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.nanoseconds == nanoseconds)
    }

    @Test(arguments: [
        "", "2024-03-01T14:30:00", "2024-13-01T00:00:00Z", "2023-02-29", "2024-03-01T24:00:00Z",
        "2024-03-01T14:30:00.Z", "2024-03-01T14:30:00.1234567891Z", "2024-3-1", "2024-03-01T14:30Z", "garbage",
        "2024-03-01T14:30:00Zjunk",
        // Outside what Int64 nanoseconds hold: nil, not an overflow trap.
        "9999-12-31T23:59:59Z", "1677-01-01T00:00:00Z", "2262-06-01"
    ])
    func rejectsMalformedRFC3339(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    /// The time of day is the one the ISO 8601 text shows, before 1970 and after; within a second
    /// it is the second begun (the ISO text rounds to the millisecond).
    @Test func clockTextIsTheTimeOfDayOfTheISOText() {
        var random = SplitMix64(seed: 41)
        let second: Int64 = 1_000_000_000
        var times: [Int64] = [0, second, -second, -86_400 * second, 86_399 * second]
        times += (0..<2_000).map { _ in Int64.random(in: -2_000_000_000...4_000_000_000, using: &random) * second }
        for nanoseconds in times {
            let time = Timestamp(nanoseconds: nanoseconds)
            let iso = time.iso8601
            #expect(time.clockText == String(iso.dropFirst(11).prefix(8)), "\(nanoseconds): \(iso)")
        }
        let edges: [(Int64, String)] = [
            (-1, "23:59:59"), (second - 1, "00:00:00"), (86_400 * second - 1, "23:59:59"), (-86_400 * second - 1, "23:59:59")
        ]
        for (nanoseconds, text) in edges { #expect(Timestamp(nanoseconds: nanoseconds).clockText == text, "\(nanoseconds)") }
        #expect(Timestamp(rfc3339: "2024-03-01T09:05:07.999Z")?.clockText == "09:05:07")
    }

    @Test(arguments: [
        // Winter (EST, UTC-5), summer (EDT, UTC-4), and both sides of each 2024 change.
        ("2024-01-15 16:00:00", "2024-01-15T21:00:00Z"),
        ("2024-07-15 09:30:00", "2024-07-15T13:30:00Z"),
        ("2024-03-08 16:00:00", "2024-03-08T21:00:00Z"),
        ("2024-03-11 09:30:00", "2024-03-11T13:30:00Z"),
        ("2024-11-01 16:00:00", "2024-11-01T20:00:00Z"),
        ("2024-11-04 09:30:00", "2024-11-04T14:30:00Z"),
        ("2024-11-04 09:30", "2024-11-04T14:30:00Z"),
        ("2024-07-15", "2024-07-15T04:00:00Z")
    ])
    func parsesNewYorkLocalTimesAcrossDaylightSaving(local: String, utc: String) {
        #expect(Timestamp(newYorkLocal: local) == Timestamp(rfc3339: utc))
    }

    @Test(arguments: [
        // Alpaca stamps daily bars at New York midnight: 05:00Z in winter, 04:00Z in summer.
        ("2024-03-08T05:00:00Z", "2024-03-08"), ("2024-03-11T04:00:00Z", "2024-03-11"),
        ("2024-11-04T05:00:00Z", "2024-11-04"),
        // Yahoo stamps them at the open: 09:30 New York.
        ("2024-07-15T13:30:00Z", "2024-07-15"),
        // 22:00 New York on the 15th is 02:00Z on the 16th: still the 15th's trading day.
        ("2024-07-16T02:00:00Z", "2024-07-15")
    ])
    func dailyBarsLandOnTheNewYorkTradingDay(stamp: String, day: String) {
        #expect(Timestamp(rfc3339: stamp)?.newYorkTradingDay == Timestamp(rfc3339: day))
    }
}
