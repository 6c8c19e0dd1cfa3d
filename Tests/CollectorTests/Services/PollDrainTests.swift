import CollectorTestSupport
import Foundation
import Logging
import ProviderTestSupport
import Testing

@testable import Collector

private let F = MarketFixtures.self

/// A graceful shutdown while a poller's quote request is on the wire: the request has been spent,
/// so it is answered and its quotes are stored before the store closes (before, the shutdown
/// cancelled it and its answer was lost). Drained as the backfill's history requests are
/// (`ProviderRequests.draining`), within `ProviderRequests.drainDeadline`; a request still
/// waiting for budget is withdrawn unsent.
@Suite("Poll drain on shutdown", .timeLimit(.minutes(1)), .stopsItsRigs)
struct PollDrainTests {
    static let interval = Duration.seconds(10)

    /// Alpaca's stock snapshots on a loopback server; requests are held until `release`.
    struct Provider: Sendable {
        let server: LoopbackHTTPServer
        let answers: Answers

        static func start(holding: Bool) async throws -> Provider {
            let answers = Answers()
            if !holding { answers.gate.release() }
            return Provider(server: try await LoopbackHTTPServer.start { _ in await answers.answer() }, answers: answers)
        }

        /// Answers the held request (and every later one at once).
        func release() { answers.gate.release() }

        /// Waits until the provider has received a request.
        func waitForRequest() async {
            for await _ in answers.arrivals.stream { return }
        }

        var count: Int { server.requests.count }
    }

    final class Answers: Sendable {
        let gate = Latch()
        let arrivals = AsyncStream.makeStream(of: Void.self)

        func answer() async -> StubResponse {
            arrivals.continuation.yield()
            await gate.wait()
            return Fixture.json("alpaca/snapshots-stocks.json")
        }
    }

    /// A poller of Alpaca for AAPL and MSFT every 10 s, with the pipeline and the store writer.
    struct Run: Sendable {
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-05T15:42:10Z")!)
        let store = InMemoryStore()
        /// The poller's requests under way (what the board's quit reports).
        let requests = ProviderRequests()
        let services: ServiceRig

        init(provider: Provider, limit: RateLimit = RateLimit(requests: 200, per: .seconds(60))) {
            // A request is held at the provider as long as the test needs: no real-time timeout may end it.
            let source = AlpacaTestKit.source(provider.server, clock: clock, timeout: .seconds(600), limit: limit)
            let state = MarketState(
                watchlist: [F.symbol("AAPL"), F.symbol("MSFT")],
                sources: [.init(id: source.id, kind: source.kind, priority: 1)], timeSource: clock)
            let writer = StoreWriter(
                store: store, state: state, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock,
                metrics: .off, logger: .quiet())
            let pipeline = IngestPipeline(state: state, sink: writer, timeSource: clock, logger: .quiet())
            let poller = PollingCollector(
                source: source, watched: state.watched, pipeline: pipeline, clock: clock, timeSource: clock,
                interval: PollDrainTests.interval, sent: requests, logger: .quiet())
            services = ServiceRig([("ingest", IngestService(pipeline: pipeline, writer: writer)), ("poller", poller)])
        }

        /// Shuts the run down while a request is held, and returns once its poller drains.
        func stopWhileDraining() async throws -> Task<Void, Never> {
            let stopping = Task { await services.stop() }
            try await withSafetyLimit { await clock.waitForSleeper(named: PollingCollector.drainPurpose) }
            return stopping
        }

        func storedSymbols() async -> Set<String> {
            Set(await store.latestQuotes().map(\.symbol.rawValue))
        }
    }

    @Test func aQuoteRequestOnTheWireAtShutdownIsAnsweredAndStored() async throws {
        let provider = try await Provider.start(holding: true)
        let run = Run(provider: provider)
        try await withSafetyLimit { await provider.waitForRequest() }
        #expect(run.requests.sent == .init(quotes: 1), "spent: the drain will wait for it")
        let stopping = try await run.stopWhileDraining()
        provider.release()
        await stopping.value
        #expect(await run.storedSymbols() == ["AAPL", "MSFT"], "the answer came during the drain and was written")
        #expect(run.requests.sent == .init())
        #expect(provider.count == 1, "no request after the shutdown began")
        await provider.server.stop()
    }

    @Test func theDrainWaitsNoLongerThanItsDeadline() async throws {
        let provider = try await Provider.start(holding: true)
        let run = Run(provider: provider)
        try await withSafetyLimit { await provider.waitForRequest() }
        let stopping = try await run.stopWhileDraining()
        run.clock.advance(by: ProviderRequests.drainDeadline)
        await stopping.value
        #expect(await run.storedSymbols().isEmpty, "the answer did not come in time: the request was cancelled")
        provider.release()
        await provider.server.stop()
    }

    /// A round waiting for budget at shutdown sends nothing, and the stop does not wait for it.
    @Test func aQuoteRequestWaitingForBudgetIsWithdrawnUnsent() async throws {
        let provider = try await Provider.start(holding: false)
        let run = Run(provider: provider, limit: RateLimit(requests: 1, per: .seconds(60)))
        try await withSafetyLimit { await provider.waitForRequest() }
        let next = run.clock.now.advanced(by: Self.interval)
        try await withSafetyLimit { await run.clock.waitForSleep(until: next) }
        run.clock.advance(by: Self.interval)
        try await withSafetyLimit { await run.clock.waitForSleeper(named: "limiter") }
        await run.services.stop()
        #expect(provider.count == 1, "the second round's request was withdrawn before it was sent")
        await provider.server.stop()
    }
}
