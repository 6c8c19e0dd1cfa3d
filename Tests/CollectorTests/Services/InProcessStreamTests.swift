import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

/// An in-process source's stream (the simulated market, a replay; here a scripted source) under
/// the stream machine: `LiveStreamService(inProcess:)`.
@Suite("In-process stream", .stopsItsRigs)
struct InProcessStreamTests {
    @Test func reconnectsWithBackoffAndReportsHealth() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedSource(connections: [
            [
                .events([.quote(F.quote(source: "scripted", last: 100, at: clock.now()))]),
                .fail(.unavailable(source: "scripted", reason: "connection reset"))
            ],
            [.fail(.unavailable(source: "scripted", reason: "connection refused"))],
            [.events([.quote(F.quote(source: "scripted", last: 101, at: clock.now() + .seconds(5)))])]
        ])
        let rig = CollectorRig(source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state

        // First connection delivers, then drops: the source is down and the collector waits 1 s.
        let down = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first?.errorCount == 1 }
        }
        #expect(down?.sources.first?.state == .down)
        #expect(down?.sources.first?.lastError?.contains("connection reset") == true)
        #expect(down?.sources.first?.lastError?.contains("retrying in 1s") == true)
        #expect(down?.symbol(aapl)?.selected?.last == 100)
        await clock.waitForSleeper(named: "backoff SCRIPTED")
        #expect(source.connectionCount == 1, "no reconnect before the backoff has passed")

        // Second connection is refused: the backoff doubles to 2 s.
        clock.advance(by: .seconds(1))
        let again = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first?.errorCount == 2 }
        }
        #expect(again?.sources.first?.lastError?.contains("retrying in 2s") == true)
        await clock.waitForSleeper(named: "backoff SCRIPTED")
        clock.advance(by: .seconds(1))
        await clock.waitForPendingSleeper(named: "backoff SCRIPTED")  // the backoff has not ended
        #expect(source.connectionCount == 2, "still waiting: only 1 of 2 s has passed")

        // Third connection delivers: streaming again, and the new value is shown.
        clock.advance(by: .seconds(1))
        let streaming = try await withSafetyLimit {
            await state.firstSnapshot { $0.symbol(aapl)?.selected?.last == 101 }
        }
        #expect(streaming?.sources.first?.state == .streaming)
        #expect(streaming?.sources.first?.messageCount == 2)
        #expect(source.connectionCount == 3)
    }

    @Test func resubscribesWhenTheWatchedSymbolsChange() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let msft = F.symbol("MSFT")
        let source = ScriptedSource(connections: [
            [.events([.quote(F.quote(source: "scripted", at: clock.now()))])],
            [.events([.quote(F.quote("MSFT", source: "scripted", at: clock.now()))])]
        ])
        let watched = WatchedSymbols([aapl])
        let rig = CollectorRig(source: source, watched: watched, watchlist: [aapl, msft], clock: clock)
        let state = rig.state
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(source.connectionCount == 1)
        watched.set([aapl, msft])
        let both = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(msft)?.selected != nil } }
        #expect(both != nil)
        #expect(source.connectionCount == 2, "a new symbol set is a new subscription")
        #expect(source.subscriptions.last == [aapl, msft])
    }

    /// After `failureThreshold` failures in a row the circuit opens (no attempt until the pause
    /// is over), then one half-open probe decides. The in-process streams keep these two states
    /// whichever machinery runs them (issue 15 item 4).
    @Test func failuresInARowOpenTheCircuitThenOneProbeDecides() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedSource(connections: [
            [.fail(.unavailable(source: "scripted", reason: "connection refused"))],
            [.fail(.unavailable(source: "scripted", reason: "connection refused"))],
            []  // the probe connects and stays open
        ])
        let rig = CollectorRig(
            source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock,
            breaker: .init(failureThreshold: 2, openDuration: .seconds(60)))
        let state = rig.state

        _ = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        await clock.waitForSleep(until: clock.now.advanced(by: .seconds(1)))
        clock.advance(by: .seconds(1))
        let open = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 2 } }
        #expect(open?.sources.first?.state == .circuitOpen)
        #expect(open?.sources.first?.lastError?.contains("connection refused; 2 failures in a row, paused until") == true)

        // The open circuit waits its minute: the moment it sleeps until is the proof no attempt came sooner.
        await clock.waitForSleep(until: clock.now.advanced(by: .seconds(60)))
        #expect(source.connectionCount == 2, "no attempt while the circuit is open")
        clock.advance(by: .seconds(60))
        let probing = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.state == .halfOpen } }
        #expect(probing?.sources.first?.detail == "probing after a pause")
        #expect(source.connectionCount == 3)
    }

    /// A lasting problem the source works around (a replay's skipped rows) shows the source
    /// degraded with the problem while it delivers.
    @Test func aStandingIssueShowsDegradedWhileDelivering() async throws {
        let clock = ManualClock()
        let directory = try TemporaryDirectory()
        let text = ReplayFixtures.quoteFile([("AAPL", "2024-03-01T14:30:00Z", 100)]) + "\nAAPL,2024-03-01T14:30:01Z,abc,1,1,1"
        let path = try ReplayFixtures.write(text, "quotes.csv", in: directory)
        let source = try ReplayFixtures.source(path, clock: clock)
        let aapl = F.symbol("AAPL")
        let rig = CollectorRig(source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state

        let delivered = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        let health = try #require(delivered?.sources.first)
        #expect(health.state == .degraded)
        #expect(
            health.detail?.contains("1 problem in the replay files: quotes.csv line 3") == true,
            "detail: \(health.detail ?? "none")")
    }

    /// A source that fails again at once after a retry (a simulated outage) stays down: connecting
    /// to an in-process source says nothing of it, only its values read `streaming`.
    @Test func aRetryThatFailsAgainNeverReadsStreaming() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedSource(connections: [
            [
                .events([.quote(F.quote(source: "scripted", at: clock.now()))]),
                .fail(.unavailable(source: "scripted", reason: "simulated outage"))
            ],
            [.fail(.unavailable(source: "scripted", reason: "simulated outage"))]
        ])
        let rig = CollectorRig(source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 1 } }
        await clock.waitForSleeper(named: "backoff SCRIPTED")
        clock.advance(by: .seconds(1))
        let again = try await withSafetyLimit { await state.firstSnapshot { $0.sources.first?.errorCount == 2 } }
        #expect(again?.sources.first?.state == .down)
        #expect(again?.sources.first?.transitions == 2, "starting, streaming, down: nothing between the two failures")
    }

    /// A graceful shutdown (the app quitting, a rig stopping) ends the stream by itself, however
    /// quiet its source: no cancellation is needed, and nothing reconnects.
    @Test func aGracefulShutdownEndsTheStream() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedSource(connections: [[.events([.quote(F.quote(source: "scripted", at: clock.now()))])]])
        let rig = CollectorRig(source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        let services = rig.services
        try await withSafetyLimit { await services.stop() }
        #expect(services.events.contains(.finished("collector")))
        #expect(source.connectionCount == 1, "nothing reconnected")
    }

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (5, 16), (6, 30), (60, 30)])
    func backoffDoublesUpToTheMaximum(_ attempt: Int, _ seconds: Int64) {
        #expect(RetryBackoff(initial: .seconds(1), maximum: .seconds(30)).delay(forAttempt: attempt) == .seconds(seconds))
    }
}
