import CollectorTestSupport
import ServiceLifecycle
import Testing

@testable import Collector

private let F = MarketFixtures.self

/// A shutdown with several services each holding a provider request already sent: the service
/// group stops them one after another, and the whole shutdown stops waiting at one deadline,
/// `ProviderRequests.drainDeadline` after the first drain began, as the board's quit notice
/// promises ("at most 5 s"); before, each service waited its own 5 s from its own turn.
@Suite("Drain deadline", .timeLimit(.minutes(1)), .stopsItsRigs)
struct DrainDeadlineTests {
    /// A service whose one request (`history` or quotes) is sent and never answered.
    struct Holding: Service {
        let name: String
        let requests: ProviderRequests
        let history: Bool
        let clock: ManualClock

        var purpose: String { "drain \(name)" }

        func run() async {
            let limiter = RateLimiter(limit: RateLimit(requests: 10, per: .seconds(60)), clock: clock, timeSource: clock)
            await requests.draining("alpaca", clock: clock, purpose: purpose) {
                let ticket = history ? requests.begin(F.symbol("AAPL"), source: "alpaca") : requests.beginQuotes(of: "alpaca")
                defer { requests.end(ticket) }
                // Answered never: the request ends only when the drain's deadline cancels it.
                _ = try? await requests.fetch(ticket) {
                    try await limiter.acquire()
                    await Latch().wait()
                }
            }
        }
    }

    @Test func twoServicesHoldingARequestStopByOneDeadline() async throws {
        let clock = ManualClock()
        // Wired as a collector's are: its backfills' and its pollers' registries share the deadline.
        let deadline = DrainDeadline()
        let (history, quotes) = (ProviderRequests(deadline: deadline), ProviderRequests(deadline: deadline))
        let backfill = Holding(name: "backfill", requests: history, history: true, clock: clock)
        let poller = Holding(name: "poller", requests: quotes, history: false, clock: clock)
        let rig = ServiceRig([("backfill", backfill), ("poller", poller)])
        try await withSafetyLimit {
            await ManualClock.wait(until: { history.sent.total + quotes.sent.total == 2 }, what: "both requests sent")
        }

        let stopped = ProviderRequestsTests.Flag()
        let stopping = Task {
            await rig.stop()
            stopped.set()
        }
        // The poller stops first (the last service first); its drain fixes the deadline.
        try await withSafetyLimit { await clock.waitForSleeper(named: poller.purpose) }
        clock.advance(by: ProviderRequests.drainDeadline)
        // The whole shutdown ends now, or the backfill's drain sleeps on past the one deadline.
        let waitsAgain: @Sendable () -> Bool = { clock.sleeps.contains { $0.purpose == backfill.purpose } }
        try await withSafetyLimit {
            await ManualClock.wait(until: { stopped.isSet || waitsAgain() }, what: "the stop, or a second deadline")
        }
        #expect(!waitsAgain(), "the backfill's drain waited a deadline of its own")
        clock.advance(by: ProviderRequests.drainDeadline)  // (so that a failing run's rig can stop)
        await stopping.value
        #expect(history.sent.total + quotes.sent.total == 0, "both requests cancelled at the deadline")
        #expect(rig.events.contains(.finished("backfill")))
    }
}
