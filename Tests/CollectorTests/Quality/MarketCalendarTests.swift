import Collector
import Testing

@Suite("Market calendar")
struct MarketCalendarTests {
    let nyse = MarketCalendar.nyse

    static func dates(_ year: Int, _ monthDays: [(Int, Int)]) -> [CivilDate] {
        monthDays.map { CivilDate(year, $0.0, $0.1) }
    }

    /// The exchange's published lists (nyse.com/markets/hours-calendars).
    static let published: [(year: Int, holidays: [CivilDate], earlyCloses: [CivilDate])] = [
        (
            2024,
            dates(2024, [(1, 1), (1, 15), (2, 19), (3, 29), (5, 27), (6, 19), (7, 4), (9, 2), (11, 28), (12, 25)]),
            dates(2024, [(7, 3), (11, 29), (12, 24)])
        ),
        (
            2025,
            dates(2025, [(1, 1), (1, 9), (1, 20), (2, 17), (4, 18), (5, 26), (6, 19), (7, 4), (9, 1), (11, 27), (12, 25)]),
            dates(2025, [(7, 3), (11, 28), (12, 24)])
        ),
        (
            2026,
            dates(2026, [(1, 1), (1, 19), (2, 16), (4, 3), (5, 25), (6, 19), (7, 3), (9, 7), (11, 26), (12, 25)]),
            dates(2026, [(11, 27), (12, 24)])
        ),
        (
            2027,
            dates(2027, [(1, 1), (1, 18), (2, 15), (3, 26), (5, 31), (6, 18), (7, 5), (9, 6), (11, 25), (12, 24)]),
            dates(2027, [(11, 26)])
        )
    ]

    @Test(arguments: [2024, 2025, 2026, 2027])
    func holidaysAndEarlyClosesMatchThePublishedLists(year: Int) throws {
        let expected = try #require(Self.published.first { $0.year == year })
        #expect(nyse.holidays(in: year).map(\.date) == expected.holidays)
        #expect(nyse.earlyCloses(in: year) == expected.earlyCloses)
        for day in expected.holidays {
            #expect(nyse.holiday(on: day) != nil, "\(day)")
            #expect(nyse.tradingDay(day) == .holiday(try #require(nyse.holiday(on: day))))
        }
        for day in expected.earlyCloses {
            #expect(nyse.isEarlyClose(day), "\(day)")
            #expect(nyse.tradingDay(day) == .earlyClose(closeMinute: 13 * 60))
        }
    }

    @Test func namesAndObservance() {
        #expect(nyse.holiday(on: CivilDate(2026, 11, 26))?.description == "Thanksgiving")
        #expect(nyse.holiday(on: CivilDate(2026, 7, 3))?.description == "Independence Day (observed)", "July 4 is a Saturday")
        #expect(nyse.holiday(on: CivilDate(2027, 7, 5))?.description == "Independence Day (observed)", "July 4 is a Sunday")
        #expect(nyse.holiday(on: CivilDate(2027, 6, 18))?.description == "Juneteenth (observed)")
        #expect(nyse.holiday(on: CivilDate(2027, 12, 24))?.description == "Christmas (observed)")
        #expect(nyse.holiday(on: CivilDate(2025, 1, 9))?.name == "National Day of Mourning for Jimmy Carter")
        #expect(nyse.holiday(on: CivilDate(2026, 4, 3))?.name == "Good Friday")
    }

    @Test func newYearOnASaturdayIsNotMovedToFriday() {
        #expect(nyse.holiday(on: CivilDate(2021, 12, 31)) == nil, "1 January 2022 was a Saturday")
        #expect(nyse.holiday(on: CivilDate(2027, 12, 31)) == nil, "1 January 2028 is a Saturday")
        #expect(nyse.tradingDay(CivilDate(2027, 12, 31)) == .regular)
        #expect(nyse.holidays(in: 2022).first?.date == CivilDate(2022, 1, 17), "no New Year holiday in 2022: MLK first")
        #expect(nyse.holiday(on: CivilDate(2023, 1, 2))?.description == "New Year's Day (observed)", "Sunday -> Monday")
    }

    @Test func juneteenthOnlyFrom2022() {
        #expect(nyse.holiday(on: CivilDate(2021, 6, 18)) == nil)
        #expect(nyse.holiday(on: CivilDate(2022, 6, 20))?.description == "Juneteenth (observed)", "June 19, 2022 was a Sunday")
    }

    @Test func specialClosures() {
        for day in [CivilDate(2025, 1, 9), CivilDate(2018, 12, 5), CivilDate(2012, 10, 29), CivilDate(2012, 10, 30)] {
            #expect(nyse.holiday(on: day) != nil, "\(day)")
        }
        #expect(nyse.holidays(in: 2012).contains { $0.date == CivilDate(2012, 10, 30) && $0.name == "Hurricane Sandy" })
        #expect(MarketCalendar(specialClosures: [:]).holiday(on: CivilDate(2025, 1, 9)) == nil, "the table is configurable")
    }

    @Test func earlyCloseRules() {
        // July 3 only when July 4 is Tuesday to Friday.
        #expect(nyse.isEarlyClose(CivilDate(2019, 7, 3)), "July 4, 2019 was a Thursday")
        #expect(!nyse.isEarlyClose(CivilDate(2022, 7, 1)), "July 4, 2022 was a Monday: no early close")
        #expect(nyse.isEarlyClose(CivilDate(2029, 7, 3)), "July 4, 2029 is a Wednesday")
        #expect(nyse.isEarlyClose(CivilDate(2028, 7, 3)), "July 4, 2028 is a Tuesday")
        // December 24 only Monday to Thursday.
        #expect(!nyse.isEarlyClose(CivilDate(2022, 12, 23)))
        #expect(!nyse.isEarlyClose(CivilDate(2028, 12, 24)), "a Sunday")
        #expect(nyse.isEarlyClose(CivilDate(2029, 12, 24)), "a Monday")
    }

    @Test(arguments: [
        (2000, 4, 23), (2008, 3, 23), (2011, 4, 24), (2019, 4, 21), (2024, 3, 31), (2025, 4, 20), (2026, 4, 5),
        (2027, 3, 28), (2038, 4, 25), (2285, 3, 22)
    ])
    func easter(_ year: Int, _ month: Int, _ day: Int) {
        #expect(CivilDate.easter(year) == CivilDate(year, month, day))
    }

    @Test func civilDateArithmetic() {
        #expect(CivilDate(1970, 1, 1).daysSinceEpoch == 0)
        #expect(CivilDate(1970, 1, 1).weekday == 5, "a Thursday")
        #expect(CivilDate(1969, 12, 31).weekday == 4)
        #expect(CivilDate(2026, 11, 26).weekday == 5)
        #expect(CivilDate(daysSinceEpoch: CivilDate(2028, 2, 29).daysSinceEpoch) == CivilDate(2028, 2, 29))
        #expect(CivilDate(2026, 12, 31).adding(days: 1) == CivilDate(2027, 1, 1))
        #expect(CivilDate.nth(4, 5, of: 11, 2026) == CivilDate(2026, 11, 26))
        #expect(CivilDate.last(2, of: 5, 2027) == CivilDate(2027, 5, 31))
        #expect(CivilDate(2026, 3, 8).description == "2026-03-08")
    }
}
