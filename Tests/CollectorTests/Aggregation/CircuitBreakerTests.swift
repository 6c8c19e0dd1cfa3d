import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

@Suite("Circuit breaker", .stopsItsRigs)
struct CircuitBreakerTests {
    @Test func opensAfterTheThresholdProbesAndCloses() {
        var breaker = CircuitBreaker(settings: .init(failureThreshold: 3, openDuration: .seconds(60)))
        let t = F.baseTime
        var wait = breaker.waitBeforeAttempt(at: t)
        #expect(wait == nil)
        var opened = breaker.recordFailure(at: t)
        #expect(!opened)
        opened = breaker.recordFailure(at: t)
        #expect(!opened)
        opened = breaker.recordFailure(at: t)
        #expect(opened, "the third failure in a row opens the circuit")
        #expect(breaker.state == .open(until: t + .seconds(60)))
        wait = breaker.waitBeforeAttempt(at: t + .seconds(20))
        #expect(wait == .seconds(40), "no attempt while open")
        wait = breaker.waitBeforeAttempt(at: t + .seconds(60))
        #expect(wait == nil)
        #expect(breaker.state == .halfOpen, "the next attempt is the probe")
        opened = breaker.recordFailure(at: t + .seconds(61))
        #expect(opened, "a failed probe opens it again")
        #expect(breaker.state == .open(until: t + .seconds(121)))
        _ = breaker.waitBeforeAttempt(at: t + .seconds(121))
        breaker.recordSuccess()
        #expect(breaker.state == .closed(consecutiveFailures: 0))
    }

    @Test func aSuccessResetsTheCount() {
        var breaker = CircuitBreaker(settings: .init(failureThreshold: 2, openDuration: .seconds(5)))
        breaker.recordFailure(at: F.baseTime)
        breaker.recordSuccess()
        let opened = breaker.recordFailure(at: F.baseTime)
        #expect(!opened, "failures must be consecutive")
    }

    @Test func collectorPausesProbesAndRecovers() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let refused = ScriptedSource.Step.fail(.unavailable(source: "scripted", reason: "connection refused"))
        let source = ScriptedSource(connections: [
            [refused], [refused],  // two failures open the circuit
            [refused],  // the first probe fails: open again
            [.events([.quote(F.quote(source: "scripted", at: clock.now()))])]  // the second probe works
        ])
        let rig = CollectorRig(
            source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock,
            breaker: .init(failureThreshold: 2, openDuration: .seconds(60)))
        let state = rig.state

        _ = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        await clock.waitForSleeper(named: "backoff SCRIPTED")
        clock.advance(by: .seconds(1))  // backoff, then the second failure opens the circuit
        let open = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .circuitOpen } }
        #expect(open?.sources.first?.detail?.contains("2 failures in a row, paused until") == true)
        await clock.waitForSleeper(named: "backoff SCRIPTED")
        clock.advance(by: .seconds(59))
        await clock.waitForPendingSleeper(named: "backoff SCRIPTED")  // still paused: no attempt can have started
        #expect(source.connectionCount == 2, "no attempt while the circuit is open")

        clock.advance(by: .seconds(1))  // the probe, which fails
        let reopened = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 3 } }
        #expect(reopened?.sources.first?.state == .circuitOpen)
        #expect(source.connectionCount == 3)
        await clock.waitForSleeper(named: "backoff SCRIPTED")
        clock.advance(by: .seconds(60))  // the second probe works: closed, streaming
        let back = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .streaming } }
        #expect(back?.symbol(aapl)?.selected != nil)
        #expect(source.connectionCount == 4)
    }
}
