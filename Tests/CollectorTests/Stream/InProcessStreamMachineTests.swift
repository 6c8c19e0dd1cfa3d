import Collector
import CollectorTestSupport
import Testing

private let M = StreamMachineFixtures.self

/// The machine running an in-process source's stream (`InProcessStreamProvider`): live at once,
/// subscriptions as frames, the source's failures as they were judged, the circuit breaker, and
/// no watchdog. (Its standing issue goes with each delivery: `InProcessStreamTests`.)
@Suite("Stream protocol: in-process streams")
struct InProcessStreamMachineTests {
    /// A source with a lasting problem it works around (as a replay with skipped rows).
    private struct Source: MarketDataSource {
        var id: SourceID = "replay"
        var kind: String { "replay" }
        var capabilities: SourceCapabilities { [] }
        var standingIssue: String?
    }

    private static func machine(issue: String? = nil, threshold: Int = 5) -> StreamProtocolMachine {
        StreamProtocolMachine(
            provider: InProcessStreamProvider(
                source: Source(standingIssue: issue), breaker: .init(failureThreshold: threshold, openDuration: .seconds(60))),
            settings: M.settings())
    }

    @Test func liveOnConnectSubscribingTheWatchedSymbols() {
        var machine = Self.machine()
        // Connecting says nothing of the source: it is up once its values come.
        #expect(
            machine.handle(.connected(at: M.open, watching: [M.msft, M.aapl])) == [
                .send("subscribe MSFT AAPL"), .subscribed([M.msft, M.aapl]),
                .report([.streamed("replay", reconnects: 0, coalesced: 0, dropped: 0)])
            ])
        #expect(
            machine.handle(.wanted([M.aapl, M.nvda])) == [
                .send("unsubscribe MSFT"), .send("subscribe NVDA"), .subscribed([M.aapl, M.nvda])
            ])
    }

    /// A source's values are delivered as the batch it made, trades among them (no in-process
    /// stream makes quotes of trades); with a value of a symbol no longer subscribed among them,
    /// they are read one by one (the late one counted).
    @Test func valuesAreDeliveredAsTheyCame() {
        var machine = Self.machine()
        _ = machine.handle(.connected(at: M.open, watching: [M.aapl, M.msft]))
        let (aapl, msft) = (MarketFixtures.quote("AAPL", source: "replay"), MarketFixtures.quote("MSFT", source: "replay"))
        let nvda = MarketFixtures.quote("NVDA", source: "replay")
        let trade = MarketFixtures.trade("MSFT", source: "replay")
        let batch: [MarketEvent] = [.quote(aapl), .trade(trade), .quote(msft), .quote(aapl)]
        #expect(machine.handle(.values(batch, at: M.open)) == [.deliver(batch)])
        #expect(
            machine.handle(.values([.quote(aapl), .quote(nvda), .quote(msft)], at: M.open))
                == [.deliver([.quote(aapl)]), .dropLate, .deliver([.quote(msft)])])
        #expect(machine.handle(.values([], at: M.open)) == [])
    }

    @Test func silenceIsTheSourcesPacingNotAStaleStream() {
        var machine = Self.machine()
        _ = machine.handle(.connected(at: M.open, watching: [M.aapl]))
        #expect(machine.handle(.silent(at: M.open + .seconds(120))) == [])
        #expect(machine.phase == .live)
    }

    /// A source's failure keeps the health its error says (`ProviderError`'s mapping; anything
    /// else is down) and is retried after the backoff, said as "retrying in".
    @Test(
        arguments: [
            (
                ProviderError(source: "replay", kind: .formatChanged, endpoint: "file", message: "not a CSV") as any Error,
                HealthState.formatChanged, "REPLAY file: not a CSV"
            ),
            (ProviderError.unavailable(source: "replay", reason: "outage") as any Error, .down, "REPLAY is unavailable: outage")
        ])
    func aSourceFailureIsRetriedWithItsHealth(_ error: any Error, _ state: HealthState, _ message: String) {
        var machine = Self.machine()
        _ = machine.handle(.connected(at: M.open, watching: [M.aapl]))
        #expect(machine.handle(.failed(InProcessStreamProvider.failure(error))) == [.hangUp])
        let text = "\(message); retrying in 1s"
        #expect(
            machine.handle(.hungUp(at: M.open)) == [
                .report([.streamed("replay", reconnects: 1, coalesced: 0, dropped: 0)]),
                .warn("stream failed", key: "error", text: text),
                .report([.streamFailed("replay", judged: state, message: text, at: M.open)]),
                .reconnect(after: .seconds(1))
            ])
    }

    /// Two failures in a row without market data open the circuit for a minute; the next
    /// connection is the probe (half-open), and its first value closes the circuit.
    @Test func failuresInARowOpenTheCircuitAndTheProbesFirstValueClosesIt() {
        var machine = Self.machine(threshold: 2)
        let failure = InProcessStreamProvider.failure(ProviderError.unavailable(source: "replay", reason: "refused"))
        _ = machine.handle(.connected(at: M.open, watching: [M.aapl]))
        _ = machine.handle(.failed(failure))
        #expect(machine.handle(.hungUp(at: M.open)).last == .reconnect(after: .seconds(1)))
        let second = M.open + .seconds(1)
        _ = machine.handle(.connected(at: second, watching: [M.aapl]))
        _ = machine.handle(.failed(failure))
        let until = second + .seconds(60)
        let text = "REPLAY is unavailable: refused; 2 failures in a row, paused until \(until.clockText)"
        #expect(
            machine.handle(.hungUp(at: second)) == [
                .report([.streamed("replay", reconnects: 1, coalesced: 0, dropped: 0)]),
                .warn("stream failed", key: "error", text: text),
                .report([.failed("replay", .init(.circuitOpen(until: until), message: text, at: second))]),
                .pause(.seconds(60))
            ])

        let probe = machine.handle(.connected(at: until, watching: [M.aapl]))
        #expect(probe.contains(.report([.probing("replay"), .streamed("replay", reconnects: 0, coalesced: 0, dropped: 0)])))
        #expect(machine.circuit?.state == .halfOpen)
        let quote = MarketEvent.quote(MarketFixtures.quote(source: "replay", at: until))
        #expect(machine.handle(.messages([.event(quote)], at: until)) == [.deliver([quote])])
        #expect(machine.circuit?.state == .closed(consecutiveFailures: 0))
    }
}
