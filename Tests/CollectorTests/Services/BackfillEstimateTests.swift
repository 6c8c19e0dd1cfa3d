import Collector
import Testing

@Suite("Backfill estimate")
struct BackfillEstimateTests {
    static func day(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    @Test func minuteBarsSinceTheEpochNeedConfirmation() {
        let range = Self.day("1970-01-01")...Self.day("2026-01-01")
        let estimate = BackfillEstimate(symbols: 1, timeframe: .oneMinute, range: range)
        let minutes = Int64(20_454) * 1_440  // days from 1970-01-01 to 2026-01-01
        #expect(estimate.bars == minutes + 1)
        #expect(estimate.requests == 20_454 / 5 + 1, "one request per 5-day window at least")
        #expect(estimate.needsConfirmation)
    }

    @Test func aHalfYearOfDailyBarsDoesNot() {
        let estimate = BackfillEstimate(symbols: 2, timeframe: .oneDay, range: Self.day("2025-01-01")...Self.day("2025-06-30"))
        #expect(estimate.bars == 2 * 181)
        #expect(estimate.requests == 2)
        #expect(!estimate.needsConfirmation)
    }

    @Test func theBoundIsExclusiveAndNothingOverflows() {
        #expect(BackfillEstimate.confirmationBound == 1_000_000)
        let widest = Timestamp(nanoseconds: .min)...Timestamp(nanoseconds: .max)
        let estimate = BackfillEstimate(symbols: 10_000, timeframe: .oneMinute, range: widest)
        #expect(estimate.bars == 10_000 * (Int64.max / 60_000_000_000 + 1), "the span saturates, the product fits")
        #expect(estimate.requests == 10_000 * (Int64.max / (5 * 86_400_000_000_000) + 1))
        #expect(estimate.needsConfirmation)
        let many = BackfillEstimate(symbols: .max, timeframe: .oneMinute, range: widest)
        #expect(many.bars == .max && many.requests == .max, "products saturate")
    }
}
