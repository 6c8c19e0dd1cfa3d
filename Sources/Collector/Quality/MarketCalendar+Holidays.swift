import Synchronization

/// NYSE holidays and early closes, computed by the exchange's rules (as they
/// stand since Juneteenth was added in 2022; earlier years follow the same
/// rules, with Martin Luther King Jr. Day from 1998) plus a table of special closures.
///
/// A holiday on a Sunday is kept on the Monday after; one on a Saturday on the
/// Friday before, except New Year's Day (the Friday ends an accounting year,
/// so there is no closure). Early closes at 13:00: July 3 when July 4 falls on
/// Tuesday to Friday, the day after Thanksgiving, and December 24 when it is a
/// Monday to Thursday.
extension MarketCalendar {
    /// Unscheduled closures the rules cannot know.
    public static let nyseSpecialClosures: [CivilDate: String] = [
        CivilDate(2025, 1, 9): "National Day of Mourning for Jimmy Carter",
        CivilDate(2018, 12, 5): "National Day of Mourning for George H. W. Bush",
        CivilDate(2012, 10, 29): "Hurricane Sandy",
        CivilDate(2012, 10, 30): "Hurricane Sandy",
        CivilDate(2007, 1, 2): "National Day of Mourning for Gerald Ford",
        CivilDate(2004, 6, 11): "National Day of Mourning for Ronald Reagan",
        CivilDate(2001, 9, 11): "September 11 attacks",
        CivilDate(2001, 9, 12): "September 11 attacks",
        CivilDate(2001, 9, 13): "September 11 attacks",
        CivilDate(2001, 9, 14): "September 11 attacks"
    ]

    /// Every full-day closure of `year` on a weekday, in date order.
    package func holidays(in year: Int) -> [MarketHoliday] {
        let special = specialClosures.filter { $0.key.year == year }.map { MarketHoliday(date: $0.key, name: $0.value) }
        return (Self.ruleHolidays(in: year) + special).sorted { $0.date < $1.date }
    }

    /// The closure on `date`, if the exchange is closed for a holiday (weekends are not holidays).
    package func holiday(on date: CivilDate) -> MarketHoliday? {
        if let name = specialClosures[date] { return MarketHoliday(date: date, name: name) }
        return Self.ruleHolidays(in: date.year).first { $0.date == date }
    }

    /// The days of `year` on which the regular session ends at 13:00, in date order.
    package func earlyCloses(in year: Int) -> [CivilDate] {
        Self.ruleEarlyCloses(in: year).filter { specialClosures[$0] == nil }
    }

    package func isEarlyClose(_ date: CivilDate) -> Bool {
        guard date.month == 7 || date.month == 11 || date.month == 12 else { return false }
        return earlyCloses(in: date.year).contains(date)
    }

    static func thanksgiving(_ year: Int) -> CivilDate { CivilDate.nth(4, Weekday.thursday, of: 11, year) }

    /// The rules' holidays and early closes of each year asked for, worked out once per process:
    /// every snapshot asks for them per symbol (the previous close's session), and working them
    /// out again each time was the board's largest cost. Years are bounded by `Timestamp`'s range.
    private static let byYear = Mutex<[Int: (holidays: [MarketHoliday], earlyCloses: [CivilDate])]>([:])

    private static func rules(of year: Int) -> (holidays: [MarketHoliday], earlyCloses: [CivilDate]) {
        if let known = byYear.withLock({ $0[year] }) { return known }
        let worked = (holidays: workOutRuleHolidays(in: year), earlyCloses: workOutRuleEarlyCloses(in: year))
        byYear.withLock { $0[year] = worked }
        return worked
    }

    /// The holidays the rules give for `year`, on their observed dates.
    static func ruleHolidays(in year: Int) -> [MarketHoliday] { rules(of: year).holidays }

    /// The early closes the rules give for `year`, special closures not taken out.
    static func ruleEarlyCloses(in year: Int) -> [CivilDate] { rules(of: year).earlyCloses }

    private static func workOutRuleEarlyCloses(in year: Int) -> [CivilDate] {
        var days: [CivilDate] = []
        let july3 = CivilDate(year, 7, 3)
        if (Weekday.monday...Weekday.thursday).contains(july3.weekday) { days.append(july3) }
        days.append(Self.thanksgiving(year).adding(days: 1))
        let christmasEve = CivilDate(year, 12, 24)
        if (Weekday.monday...Weekday.thursday).contains(christmasEve.weekday) { days.append(christmasEve) }
        return days
    }

    private static func workOutRuleHolidays(in year: Int) -> [MarketHoliday] {
        var result: [MarketHoliday] = []
        func add(_ date: CivilDate, _ name: String) { result.append(MarketHoliday(date: date, name: name)) }
        /// A fixed-date holiday moved off the weekend (Saturday to Friday only when allowed).
        func fixed(_ month: Int, _ day: Int, _ name: String, saturdayToFriday: Bool = true) {
            let date = CivilDate(year, month, day)
            switch date.weekday {
            case Weekday.sunday: result.append(MarketHoliday(date: date.adding(days: 1), name: name, observed: true))
            case Weekday.saturday:
                if saturdayToFriday { result.append(MarketHoliday(date: date.adding(days: -1), name: name, observed: true)) }
            default: add(date, name)
            }
        }
        fixed(1, 1, "New Year's Day", saturdayToFriday: false)
        if year >= 1998 { add(CivilDate.nth(3, Weekday.monday, of: 1, year), "Martin Luther King Jr. Day") }
        add(CivilDate.nth(3, Weekday.monday, of: 2, year), "Presidents' Day")
        add(CivilDate.easter(year).adding(days: -2), "Good Friday")
        add(CivilDate.last(Weekday.monday, of: 5, year), "Memorial Day")
        if year >= 2022 { fixed(6, 19, "Juneteenth") }
        fixed(7, 4, "Independence Day")
        add(CivilDate.nth(1, Weekday.monday, of: 9, year), "Labor Day")
        add(thanksgiving(year), "Thanksgiving")
        fixed(12, 25, "Christmas")
        return result
    }
}
