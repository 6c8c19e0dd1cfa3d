import CollectorTestSupport
import Testing

@testable import Collector

@Suite struct SimulatedSourceTests {
    typealias F = SimulatedFixtures

    func source(_ clock: ManualClock, faults: [SimulatedFault] = []) -> SimulatedSource {
        SimulatedSource(
            seed: 8, symbols: [F.aapl, F.btc], tickInterval: .milliseconds(250),
            clock: clock, timeSource: clock, faults: faults)
    }

    @Test func liveStreamYieldsBatchesAfterTheClockAdvances() async throws {
        let clock = ManualClock(epoch: F.afternoon)
        let source = source(clock)
        #expect(source.id == .simulated && source.kind == "simulated")
        #expect(source.capabilities == [.historyBars, .latestQuotes])
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        await clock.waitForSleeper(named: "tick SIM")
        clock.advance(by: .milliseconds(250))
        let first = try #require(try await iterator.next())
        #expect(Set(F.quotes(first, F.aapl).map(\.exchangeTime)) == [clock.now()])
        #expect(!F.quotes(first, F.btc).isEmpty)
        await clock.waitForSleeper(named: "tick SIM")
        clock.advance(by: .milliseconds(1000))
        let second = try #require(try await iterator.next())
        let quotes = F.quotes(second, F.aapl)
        #expect((3...5).contains(quotes.count))
        #expect(quotes.allSatisfy { $0.exchangeTime > F.afternoon + .milliseconds(250) && $0.receivedAt == clock.now() })
    }

    @Test func streamForSomeSymbolsCarriesOnlyThose() async throws {
        let clock = ManualClock(epoch: F.afternoon)
        let source = source(clock)
        var iterator = source.liveStream(for: [F.btc, F.eur]).makeAsyncIterator()
        await clock.waitForSleeper(named: "tick SIM")
        clock.advance(by: .milliseconds(250))
        let batch = try #require(try await iterator.next())
        #expect(Set(batch.map(\.symbol)) == [F.btc, F.eur])
    }

    @Test func outageMakesStreamAndRequestsThrowUnavailable() async throws {
        let clock = ManualClock(epoch: F.afternoon)
        let source = source(clock)
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        await clock.waitForSleeper(named: "tick SIM")
        await source.inject(.outage(.seconds(30)))
        clock.advance(by: .milliseconds(250))
        await #expect {
            _ = try await iterator.next()
        } throws: { error in
            guard let failure = error as? ProviderError else { return false }
            return failure.source == .simulated && failure.kind == .unreachable && failure.message.contains("simulated outage")
        }
        let range = (F.afternoon - .seconds(3600))...clock.now()
        await #expect(throws: ProviderError.self) { try await source.historyBars(for: F.aapl, timeframe: .oneMinute, in: range) }
        await #expect(throws: ProviderError.self) { try await source.latestQuotes(for: [F.aapl]) }
        clock.advance(by: .seconds(30))
        let bars = try await source.historyBars(for: F.aapl, timeframe: .oneMinute, in: range)
        #expect(bars.count == 60)
        #expect(try await source.latestQuotes(for: [F.aapl]).count == 1)
    }

    @Test func historyStopsAtTheTimeSourcesNowAndMatchesTheMarket() async throws {
        let clock = ManualClock(epoch: F.afternoon)
        let source = source(clock, faults: [.stall(F.btc, nil)])
        let range = (F.afternoon - .seconds(86_400 * 10))...(F.afternoon + .seconds(86_400))
        let bars = try await source.historyBars(for: F.aapl, timeframe: .oneDay, in: range)
        let market = SimulatedMarket(seed: 8, symbols: [])
        #expect(bars == market.historyBars(for: F.aapl, timeframe: .oneDay, in: range.lowerBound...F.afternoon))
        #expect(bars.count == 9)  // whole days starting after 15:00 ten days ago, before today
        let quotes = try await source.latestQuotes(for: [F.aapl, F.btc])
        #expect(quotes.map(\.symbol) == [F.aapl])
    }

    @Test func cancellingTheConsumerStopsTheProducer() async {
        let clock = ManualClock(epoch: F.afternoon)
        let source = source(clock)
        let stream = source.liveStream(for: [])
        let consumer = Task { for try await _ in stream {} }
        await clock.waitForSleeper(named: "tick SIM")
        consumer.cancel()
        await ManualClock.wait(until: { clock.sleeperCount == 0 }, what: "the cancelled producer to stop sleeping")
        #expect(clock.sleeperCount == 0)
    }
}
