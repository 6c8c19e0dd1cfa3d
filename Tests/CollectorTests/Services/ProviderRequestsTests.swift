import Collector
import CollectorTestSupport
import Synchronization
import Testing

private let F = MarketFixtures.self

/// What a fleet hand-over does with the history requests of the symbols it gives up: a request
/// past its rate limiter is spent and waited for; one still waiting for budget is withdrawn; one
/// withdrawn just as it takes its slot sends nothing. A shutdown's drain withdraws every later one.
@Suite("Provider requests under way")
struct ProviderRequestsTests {
    /// Set once something has happened.
    final class Flag: Sendable {
        private let value = Atomic(false)
        var isSet: Bool { value.load(ordering: .acquiring) }
        func set() { value.store(true, ordering: .releasing) }
    }

    @Test func aRequestWithdrawnAsItTakesItsSlotSendsNothing() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 3, per: .seconds(60)), clock: clock, timeSource: clock)
        await #expect(throws: CancellationError.self) {
            try await RateLimiter.$takingSlot.withValue(.init { false }) { try await limiter.acquire(maximumWait: .zero) }
        }
        #expect(await limiter.status().remaining == 2, "the slot stays spent, as a request sent would have")
        try await RateLimiter.$takingSlot.withValue(.init { true }) { try await limiter.acquire(maximumWait: .zero) }
        #expect(await limiter.status().remaining == 1)
    }

    /// A shutdown's drain of one source: a request of it begun after the drain (its loop had not
    /// seen the shutdown yet) sends nothing and takes no budget; another source's backfill, not yet
    /// told to stop (a service group stops them one by one), goes on.
    @Test func aDrainWithdrawsEveryRequestOfItsSourceBegunAfterIt() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 3, per: .seconds(60)), clock: clock, timeSource: clock)
        let requests = ProviderRequests()
        requests.drain("alpaca")
        let ticket = requests.begin(F.symbol("AAPL"), source: "alpaca")
        await #expect(throws: CancellationError.self) {
            try await requests.fetch(ticket) { try await limiter.acquire() }
        }
        requests.end(ticket)
        #expect(await limiter.status().remaining == 3, "nothing sent, no budget taken")
        let other = requests.begin(F.symbol("AAPL"), source: "polygon")
        try await requests.fetch(other) { try await limiter.acquire() }
        requests.end(other)
        #expect(await limiter.status().remaining == 2)
    }

    @Test func aHandOverWaitsForASpentRequestAndWithdrawsOneWaitingForBudget() async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: RateLimit(requests: 1, per: .seconds(60)), clock: clock, timeSource: clock)
        let requests = ProviderRequests()
        let (aapl, msft) = (F.symbol("AAPL"), F.symbol("MSFT"))
        let (answer, answered) = AsyncStream.makeStream(of: Void.self)
        let (sent, spent) = (Flag(), Flag())

        // AAPL's request takes the one slot, and its answer is on the way.
        let first = requests.begin(aapl)
        let aaplRequest = Task {
            let bars = try await requests.fetch(first) {
                try await limiter.acquire()
                sent.set()
                for await _ in answer { break }
                return 3
            }
            spent.set()
            requests.end(first)
            return bars
        }
        await ManualClock.wait(until: { sent.isSet }, what: "AAPL's request sent")
        // MSFT's request waits for budget.
        let second = requests.begin(msft)
        let msftRequest = Task {
            defer { requests.end(second) }
            return try await requests.fetch(second) {
                try await limiter.acquire()
                return 5
            }
        }
        try await withSafetyLimit { await clock.waitForSleeper(named: "limiter") }

        let settled = Flag()
        let settling = Task {
            await requests.settle([aapl, msft])
            settled.set()
        }
        await #expect(throws: CancellationError.self, "withdrawn: it had cost nothing") { try await msftRequest.value }
        #expect(!settled.isSet, "AAPL's request is spent: the hand-over waits for it")
        answered.yield()
        #expect(try await aaplRequest.value == 3)
        await settling.value
        #expect(spent.isSet && requests.count == 0)
        // The budget comes back: nothing is left to send MSFT's request.
        clock.advance(by: .seconds(60))
        #expect(await limiter.status().remaining == 1)
    }
}
