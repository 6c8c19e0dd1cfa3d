import Collector
import Testing

@Suite("Gap finder")
struct GapFinderTests {
    let finder = GapFinder()

    static func day(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    @Test func dailyBarsAreExpectedOnTradingDaysOnly() {
        // 2025-12-22 (Mon) to 2026-01-02 (Fri): Christmas and New Year's Day are holidays.
        let expected = finder.expectedStarts(.equity, .oneDay, in: Self.day("2025-12-22")...Self.day("2026-01-02"))
        #expect(
            expected.map(\.utcDateText) == [
                "2025-12-22", "2025-12-23", "2025-12-24", "2025-12-26", "2025-12-29", "2025-12-30", "2025-12-31", "2026-01-02"
            ])
        #expect(finder.expectedStarts(.crypto, .oneDay, in: Self.day("2025-12-22")...Self.day("2026-01-02")).count == 12)
        #expect(finder.expectedStarts(.fx, .oneDay, in: Self.day("2025-12-22")...Self.day("2026-01-02")).count == 10)
    }

    @Test func aMissingTradingDayIsAGapButAWeekendOrHolidayIsNot() {
        let expected = finder.expectedStarts(.equity, .oneDay, in: Self.day("2025-12-22")...Self.day("2026-01-02"))
        var stored = Set(expected)
        #expect(finder.gaps(expected: expected, stored: stored).isEmpty, "weekends and holidays are not gaps")
        stored.remove(Self.day("2025-12-23"))
        stored.remove(Self.day("2025-12-29"))
        stored.remove(Self.day("2025-12-30"))
        #expect(
            finder.gaps(expected: expected, stored: stored) == [
                BarGap(first: Self.day("2025-12-23"), last: Self.day("2025-12-23"), missingBars: 1),
                BarGap(first: Self.day("2025-12-29"), last: Self.day("2025-12-30"), missingBars: 2)
            ])
    }

    @Test func minuteBarsFollowTheRegularSessionAndEarlyCloses() {
        // 2026-11-27 closes at 13:00 New York (18:00Z): 210 regular minutes, none after.
        let early = finder.expectedStarts(.equity, .oneMinute, in: Self.day("2026-11-27")...Self.day("2026-11-28"))
        #expect(early.count == 210)
        #expect(early.first == Self.day("2026-11-27T14:30:00Z"))
        #expect(early.last == Self.day("2026-11-27T17:59:00Z"))
        // A regular day: 390 minutes from 09:30.
        #expect(finder.expectedStarts(.equity, .oneMinute, in: Self.day("2026-11-24")...Self.day("2026-11-25")).count == 390)
        // Thanksgiving and a Saturday: none.
        #expect(finder.expectedStarts(.equity, .oneMinute, in: Self.day("2026-11-26")...Self.day("2026-11-27")).isEmpty)
        #expect(finder.expectedStarts(.equity, .fiveMinutes, in: Self.day("2026-11-28")...Self.day("2026-11-29")).isEmpty)
    }

    @Test func theSessionMovesWithDaylightSaving() {
        // 2026-03-06 (EST): the open is 14:30Z; 2026-03-09 (EDT): 13:30Z.
        #expect(
            finder.expectedStarts(.equity, .oneMinute, in: Self.day("2026-03-06")...Self.day("2026-03-07")).first
                == Self.day("2026-03-06T14:30:00Z"))
        #expect(
            finder.expectedStarts(.equity, .oneMinute, in: Self.day("2026-03-09")...Self.day("2026-03-10")).first
                == Self.day("2026-03-09T13:30:00Z"))
    }

    @Test func hourlyBarsMustFitInTheSession() {
        // UTC-aligned hours on a winter day: 15:00Z (10:00 NY) to 20:00Z (15:00 NY) fit; 14:00Z starts before the open.
        let hours = finder.expectedStarts(.equity, .oneHour, in: Self.day("2026-11-24")...Self.day("2026-11-25"))
        #expect(
            hours.map { String($0.rfc3339Seconds.dropFirst(11).prefix(5)) } == [
                "15:00", "16:00", "17:00", "18:00", "19:00", "20:00"
            ])
    }

    @Test func weeksAndMonthsAreNotJudged() {
        #expect(!GapFinder.supports(.oneWeek))
        #expect(finder.expectedStarts(.equity, .oneMonth, in: Self.day("2026-01-01")...Self.day("2026-12-31")).isEmpty)
    }
}
