import Collector
import CollectorTestSupport
import Testing

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test(arguments: [
        ("200/min", 200, Duration.seconds(60)), ("25/day", 25, .seconds(86_400)), ("5/minute", 5, .seconds(60)),
        ("1/s", 1, .seconds(1)), (" 30 / sec ", 30, .seconds(1)), ("10/hour", 10, .seconds(3600))
    ])
    func parsesLimits(text: String, requests: Int, period: Duration) throws {
        let limit = try #require(RateLimit(parsing: text))
        #expect(limit.requests == requests)
        #expect(limit.period == period)
    }

    @Test(arguments: ["", "200", "0/min", "-1/min", "5/fortnight", "abc/min", "5/min/x"])
    func rejectsMalformedLimits(text: String) {
        #expect(RateLimit(parsing: text) == nil)
    }

    @Test func aSlotFreesOnlyWhenItsRequestLeavesTheWindow() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 3, per: .seconds(60)), clock: clock, timeSource: clock)
        try await limiter.acquire(maximumWait: .zero)
        clock.advance(by: .seconds(10))
        for _ in 0..<2 { try await limiter.acquire(maximumWait: .zero) }
        #expect(await limiter.status().remaining == 0)
        #expect(await limiter.status().refillsAt == clock.now() + .seconds(50))
        #expect(await limiter.waitForNextToken() == .seconds(50), "the first request leaves the window at 60 s")
        await #expect(throws: RateLimiter.Exhausted.self) { try await limiter.acquire(maximumWait: .seconds(49)) }
        clock.advance(by: .seconds(50))
        try await limiter.acquire(maximumWait: .zero)
        #expect(await limiter.waitForNextToken() == .seconds(10), "the next two leave the window 10 s later")
        clock.advance(by: .seconds(600))
        #expect(await limiter.status().remaining == 3, "never more than the capacity")
    }

    /// Polygon's 5/min used to get 10 requests within 60 s (a burst of 5, then one every 12 s).
    @Test(arguments: [(5, 60), (3, 10), (25, 86_400)])
    func noWindowEverHoldsMoreThanTheLimit(requests: Int, seconds: Int64) async throws {
        let clock = ManualClock()
        let limit = RateLimit(requests: requests, per: .seconds(seconds))
        let limiter = RateLimiter(limit: limit, clock: clock, timeSource: clock)
        var sent: [Timestamp] = []
        let step = Duration.seconds(seconds) / 20
        for _ in 0..<200 {
            while (try? await limiter.acquire(maximumWait: .zero)) != nil { sent.append(clock.now()) }
            clock.advance(by: step)
        }
        #expect(sent.count >= requests * 8, "the budget is used, not starved")
        for (index, start) in sent.enumerated() {
            let inWindow = sent[index...].prefix { $0 < start + limit.period }.count
            #expect(inWindow <= requests, "\(inWindow) requests in the \(limit.period) from \(start)")
        }
    }

    @Test func aWaitingCallerProceedsWhenTheClockReachesTheNextToken() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 1, per: .seconds(10)), clock: clock, timeSource: clock)
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        await clock.waitForSleeper(named: "limiter")
        clock.advance(by: .seconds(10))
        try await withSafetyLimit { try await waiter.value }
        #expect(await limiter.status().remaining == 0)
    }

    @Test func aPauseHoldsEveryCallerAndEmptiesTheBucket() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 100, per: .seconds(60)), clock: clock, timeSource: clock)
        await limiter.pause(for: .seconds(45))
        #expect(await limiter.waitForNextToken() == .seconds(45))
        await limiter.pause(for: .seconds(5))
        #expect(await limiter.waitForNextToken() == .seconds(45), "a shorter pause does not cut a longer one")
        clock.advance(by: .seconds(45))
        #expect(await limiter.waitForNextToken() == .zero)
        #expect(await limiter.status().pausedUntil == nil)
        #expect(await limiter.status().remaining == 1, "one request may go; the budget refills from the end of the pause")
        try await limiter.acquire(maximumWait: .zero)
        #expect(await limiter.waitForNextToken() == .milliseconds(450), "the rest comes back over the pause's length")
    }

    @Test func followsTheRemainingCountTheProviderReports() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 200, per: .seconds(60)), clock: clock, timeSource: clock)
        await limiter.observe(remaining: 7)
        #expect(await limiter.status().remaining == 7)
        await limiter.observe(remaining: 150)
        #expect(await limiter.status().remaining == 7, "a provider's count never raises the local budget")
    }

    @Test func theBudgetIsSummedUpWithWhenItComesBack() async throws {
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-06T15:00:00Z")!)
        let limiter = RateLimiter(limit: RateLimit(requests: 25, per: .seconds(86_400)), clock: clock, timeSource: clock)
        #expect(await limiter.status().summary == "25 of 25 left")
        try await limiter.acquire(maximumWait: .zero)
        clock.advance(by: .seconds(60))
        try await limiter.acquire(maximumWait: .zero)
        #expect(await limiter.status().summary == "23 of 25 left; next back 2024-03-07 15:00:00 UTC")
        await limiter.pause(for: .seconds(9 * 3600 - 60))
        #expect(await limiter.status().summary == "paused by the provider until 2024-03-07 00:00:00 UTC")
    }

    @Test func cancellingAWaitingCallerEndsItsWaitAtOnce() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 25, per: .seconds(86_400)), clock: clock, timeSource: clock)
        await limiter.pause(for: .seconds(22 * 3600))
        let waiter = Task { try await limiter.acquire() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await withSafetyLimit { try await waiter.value } }
    }

    @Test func sourcesOfOneAccountShareOneLimiter() {
        let clock = ManualClock()
        let registry = RateLimiterRegistry(clock: clock, timeSource: clock)
        let limit = RateLimit(requests: 5, per: .seconds(60))
        let a = registry.limiter(for: "polygon:POLYGON_API_KEY", limit: limit)
        let b = registry.limiter(for: "polygon:POLYGON_API_KEY", limit: limit)
        let c = registry.limiter(for: "polygon:OTHER_KEY", limit: limit)
        #expect(a === b)
        #expect(a !== c)
    }
}
