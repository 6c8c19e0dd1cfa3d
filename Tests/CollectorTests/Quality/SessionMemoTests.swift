import Collector
import CollectorTestSupport
import Testing

/// `PreviousCloseRule` remembers the sessions it has worked out (`SessionMemo`): whatever it was
/// asked before, its answers are the ones a new rule (which has worked out nothing yet) gives.
@Suite("Previous close rule's remembered sessions")
struct SessionMemoTests {
    static let calendar = MarketCalendar.nyse
    static let hour: Int64 = 3_600_000_000_000

    /// Days where the answer is easy to get wrong: holidays, early closes, the Sundays the
    /// clocks change in New York, New Year's Eve.
    static func awkwardDays(in year: Int) -> [CivilDate] {
        calendar.holidays(in: year).map(\.date) + calendar.earlyCloses(in: year)
            + [CivilDate.nth(2, 1, of: 3, year), CivilDate.nth(1, 1, of: 11, year), CivilDate(year, 12, 31)]
    }

    /// Seeded walks through time as a feed asks: mostly forward by up to six hours (across
    /// midnights, weekends, holidays and clock changes), sometimes back by up to two days (a
    /// late value), each starting near an awkward day or anywhere from 1995 to 2035.
    static func instants(seed: UInt64, walks: Int, steps: Int) -> [Timestamp] {
        var random = SplitMix64(seed: seed)
        var instants: [Timestamp] = []
        for _ in 0..<walks {
            let year = 1995 + random.below(41)
            let days = awkwardDays(in: year)
            let start =
                random.below(2) == 0
                ? days[random.below(days.count)].adding(days: -1)
                : CivilDate(year, 1, 1).adding(days: random.below(365))
            var time = Int64(start.daysSinceEpoch) * 24 * hour + Int64(random.below(24 * 3_600)) * 1_000_000_000
            for _ in 0..<steps {
                instants.append(Timestamp(nanoseconds: time))
                if random.below(10) == 0 {
                    time -= Int64(random.below(48 * 3_600)) * 1_000_000_000
                } else {
                    time += Int64(random.below(6 * 3_600)) * 1_000_000_000 + Int64(random.below(1_000_000_000))
                }
            }
        }
        return instants
    }

    @Test func rememberedSessionsAreTheWorkedOutOnes() {
        let remembering = PreviousCloseRule()
        var wrong: [String] = []
        for time in Self.instants(seed: 17, walks: 400, steps: 60) {
            for assetClass in AssetClass.allCases {
                let session = remembering.session(of: assetClass, at: time)
                let expected = PreviousCloseRule().session(of: assetClass, at: time)
                if session != expected { wrong.append("\(assetClass) at \(time): \(session), worked out \(expected)") }
                let before = remembering.session(before: expected, assetClass: assetClass)
                let expectedBefore = PreviousCloseRule().session(before: expected, assetClass: assetClass)
                if before != expectedBefore {
                    wrong.append("\(assetClass) before \(expected): \(before), worked out \(expectedBefore)")
                }
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, first: \(wrong.prefix(5))")
    }

    /// The New York day's span the memo keeps holds exactly the instants of that date.
    @Test func aNewYorkDaySpanHoldsItsDateOnly() {
        var wrong: [String] = []
        for time in Self.instants(seed: 29, walks: 200, steps: 20) {
            let (date, span) = SessionMemo.newYorkDay(at: time)
            #expect(date == MarketCalendar.newYorkClock(at: time).date)
            guard let span else { continue }
            let inside = [span.lowerBound, span.upperBound - 1, time.nanoseconds]
            for ns in inside where MarketCalendar.newYorkClock(at: Timestamp(nanoseconds: ns)).date != date {
                wrong.append("\(Timestamp(nanoseconds: ns)) is not on \(date)")
            }
            for ns in [span.lowerBound - 1, span.upperBound] where MarketCalendar.newYorkClock(at: Timestamp(nanoseconds: ns)).date == date {
                wrong.append("\(Timestamp(nanoseconds: ns)) is on \(date), outside its span")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong, first: \(wrong.prefix(5))")
    }

    @Test func theDaysTheClocksChangeKeepNoSpan() {
        let springForward = Timestamp(rfc3339: "2026-03-08T15:00:00Z")!
        let fallBack = Timestamp(rfc3339: "2026-11-01T15:00:00Z")!
        #expect(SessionMemo.newYorkDay(at: springForward).span == nil)
        #expect(SessionMemo.newYorkDay(at: fallBack).span == nil)
        #expect(SessionMemo.newYorkDay(at: Timestamp(rfc3339: "2026-03-09T15:00:00Z")!).span != nil)
    }

    @Test func aNewCalendarForgetsTheOldOnesSessions() {
        var rule = PreviousCloseRule()
        let tuesday = Timestamp(rfc3339: "2026-03-03T15:00:00Z")!
        #expect(rule.session(of: .equity, at: tuesday) == CivilDate(2026, 3, 3))
        #expect(rule.session(before: CivilDate(2026, 3, 3), assetClass: .index) == CivilDate(2026, 3, 2))
        let copy = rule
        rule.calendar = MarketCalendar(specialClosures: [CivilDate(2026, 3, 2): "storm", CivilDate(2026, 3, 3): "storm"])
        #expect(rule.session(of: .equity, at: tuesday) == CivilDate(2026, 2, 27))
        #expect(rule.session(before: CivilDate(2026, 3, 3), assetClass: .index) == CivilDate(2026, 2, 27))
        #expect(copy.session(of: .equity, at: tuesday) == CivilDate(2026, 3, 3), "a copy keeps its own calendar")
    }
}
