import Collector
import CollectorTestSupport
import Logging
import Testing

private let F = MarketFixtures.self

@Suite("Stream collector")
struct StreamCollectorTests {
    @Test func reconnectsWithBackoffAndReportsHealth() async throws {
        let clock = ManualClock()
        let aapl = F.symbol("AAPL")
        let source = ScriptedSource(connections: [
            [.events([.quote(F.quote(source: "scripted", last: 100, at: clock.now()))]),
             .fail(.unavailable(source: "scripted", reason: "connection reset"))],
            [.fail(.unavailable(source: "scripted", reason: "connection refused"))],
            [.events([.quote(F.quote(source: "scripted", last: 101, at: clock.now() + .seconds(5)))])],
        ])
        let rig = CollectorRig(source: source, watched: WatchedSymbols([aapl]), watchlist: [aapl], clock: clock)
        let state = rig.state
        defer { rig.stop() }

        // First connection delivers, then drops: the source is down and the collector waits 1 s.
        let down = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first?.errorCount == 1 }
        }
        #expect(down?.sources.first?.state == .down)
        #expect(down?.sources.first?.lastError?.contains("connection reset") == true)
        #expect(down?.sources.first?.lastError?.contains("retrying in 1s") == true)
        #expect(down?.symbol(aapl)?.selected?.last == 100)
        await clock.waitForSleepers(count: 1)
        #expect(source.connectionCount == 1, "no reconnect before the backoff has passed")

        // Second connection is refused: the backoff doubles to 2 s.
        clock.advance(by: .seconds(1))
        let again = try await withSafetyLimit {
            await state.firstSnapshot { $0.sources.first?.errorCount == 2 }
        }
        #expect(again?.sources.first?.lastError?.contains("retrying in 2s") == true)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await Task.yield()
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
            [.events([.quote(F.quote("MSFT", source: "scripted", at: clock.now()))])],
        ])
        let watched = WatchedSymbols([aapl])
        let rig = CollectorRig(source: source, watched: watched, watchlist: [aapl, msft], clock: clock)
        let state = rig.state
        defer { rig.stop() }
        _ = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(aapl)?.selected != nil } }
        #expect(source.connectionCount == 1)
        watched.set([aapl, msft])
        let both = try await withSafetyLimit { await state.firstSnapshot { $0.symbol(msft)?.selected != nil } }
        #expect(both != nil)
        #expect(source.connectionCount == 2, "a new symbol set is a new subscription")
        #expect(source.subscriptions.last == [aapl, msft])
    }

    @Test(arguments: [(1, 1), (2, 2), (3, 4), (5, 16), (6, 30), (60, 30)])
    func backoffDoublesUpToTheMaximum(_ attempt: Int, _ seconds: Int64) {
        #expect(RetryBackoff(initial: .seconds(1), maximum: .seconds(30)).delay(forAttempt: attempt) == .seconds(seconds))
    }
}
