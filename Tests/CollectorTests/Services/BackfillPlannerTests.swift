import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// Plans over Tuesday 2026-03-03 (New York on EST: the regular session is 14:30 to 21:00 UTC).
@Suite("Backfill planner")
struct BackfillPlannerTests {
    static func t(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    static let aapl = F.symbol("AAPL")
    static let planner = BackfillPlanner()
    /// Monday 15:00 UTC to Tuesday 16:00 UTC.
    static let window = t("2026-03-02T15:00:00Z")...t("2026-03-03T16:00:00Z")
    static let oneNanosecond = Duration.nanoseconds(1)

    /// Minute starts from `first` (inclusive) to `last` (exclusive).
    static func minutes(_ first: String, _ last: String) -> [Timestamp] {
        Array(stride(from: t(first).nanoseconds, to: t(last).nanoseconds, by: 60_000_000_000)).map(Timestamp.init(nanoseconds:))
    }

    func plan(_ stored: [Timestamp], barsPerRequest: Int = 10_000) -> BackfillPlan {
        Self.planner.plan(Self.aapl, .oneMinute, in: Self.window, stored: stored, barsPerRequest: barsPerRequest)
    }

    @Test func nothingStoredFetchesTheWholeWindowInOneRequest() {
        #expect(plan([]).requests == [Self.window])
    }

    @Test func oneLiveBarAtTheEndAndNothingBeforeFetchesEverythingBeforeIt() {
        // The finding: a live bar stored before the backfill ran made it fetch nothing.
        let live = Self.t("2026-03-03T15:59:00Z")
        let result = plan([live])
        #expect(result.requests == [Self.window.lowerBound...(live - Self.oneNanosecond)])
        #expect(result.gaps.reduce(0) { $0 + $1.missingBars } == 360 + 89, "Monday 15:00-20:59 and Tuesday 14:30-15:58")
    }

    @Test func aBackfillCutShortResumesAfterItsLastBar() {
        let stored = Self.minutes("2026-03-02T15:00:00Z", "2026-03-02T18:00:00Z")
        let result = plan(stored)
        #expect(result.requests == [Self.t("2026-03-02T18:00:00Z")...Self.window.upperBound])
    }

    @Test func aHoleBetweenStoredBarsIsFetchedAndNearbyHolesShareARequest() {
        // Everything stored but Monday 16:00-16:09 and Tuesday 15:00-15:04.
        let stored =
            Self.minutes("2026-03-02T15:00:00Z", "2026-03-02T16:00:00Z")
            + Self.minutes("2026-03-02T16:10:00Z", "2026-03-03T15:00:00Z")
            + Self.minutes("2026-03-03T15:05:00Z", "2026-03-03T16:00:00Z")
        let apart = plan(stored, barsPerRequest: 100)
        #expect(
            apart.requests == [
                Self.t("2026-03-02T16:00:00Z")...(Self.t("2026-03-02T16:10:00Z") - Self.oneNanosecond),
                Self.t("2026-03-03T15:00:00Z")...(Self.t("2026-03-03T15:05:00Z") - Self.oneNanosecond)
            ], "a day apart: two requests when a page holds 100 bars")
        let together = plan(stored, barsPerRequest: 10_000)
        #expect(
            together.requests == [
                Self.t("2026-03-02T16:00:00Z")...(Self.t("2026-03-03T15:05:00Z") - Self.oneNanosecond)
            ], "one request when the span fits in a page")
        #expect(together.gaps.count == 2)
    }

    @Test func aHoleOutsideTheSessionIsNotFetchedAgain() {
        // Monday evening to Tuesday morning missing: no regular-session bar is expected there.
        let stored =
            Self.minutes("2026-03-02T15:00:00Z", "2026-03-02T21:00:00Z")
            + Self.minutes("2026-03-03T14:00:00Z", "2026-03-03T16:00:00Z")
        #expect(plan(stored).requests.isEmpty)
        #expect(plan(stored).gaps.isEmpty)
    }

    @Test func theBarStillFormingIsNotMissing() {
        let window = Self.t("2026-03-03T15:00:00Z")...Self.t("2026-03-03T15:02:30Z")
        let gaps = Self.planner.missing(Self.aapl, .oneMinute, in: window, stored: [Self.t("2026-03-03T15:00:00Z")])
        #expect(gaps == [BarGap(first: Self.t("2026-03-03T15:01:00Z"), last: Self.t("2026-03-03T15:01:00Z"), missingBars: 1)])
    }

    @Test func coverageJudgesEverySourceAndLeavesTheLastMinuteToSettle() async throws {
        let store = InMemoryStore()
        let start = Self.t("2026-03-03T15:00:00Z")
        try await store.write(StoreBatch(bars: F.minuteBars(source: "a", count: 10, start: start)))
        try await store.write(StoreBatch(bars: F.minuteBars(source: "b", count: 5, start: start + .seconds(600))))
        let window = start...(start + .seconds(17 * 60))
        let coverage = try await SeriesCoverage.check(Self.aapl, .oneMinute, in: window, store: store)
        #expect(coverage.storedBars == 15)
        #expect(coverage.stored == start...(start + .seconds(14 * 60)))
        #expect(
            coverage.missing == [
                BarGap(first: start + .seconds(15 * 60), last: start + .seconds(15 * 60), missingBars: 1)
            ], "15:15 is missing; 15:16 ended less than a minute before the window's end")
        #expect(!coverage.isComplete)
    }
}
