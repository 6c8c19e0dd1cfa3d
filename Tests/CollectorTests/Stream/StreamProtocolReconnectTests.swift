import Collector
import CollectorTestSupport
import Testing

private let M = StreamMachineFixtures.self

/// How the machine ends a connection (closed, deadline, silence, dial failure) and what it does
/// next: the backoff, its reset after a stable connection, and the reconnect count in the detail.
@Suite("Stream protocol reconnects")
struct StreamProtocolReconnectTests {
    @Test func aClosedConnectionReconnectsAfterTheBackoff() {
        var machine = M.live(M.alpaca)
        #expect(machine.handle(.closed(error: nil)) == [.hangUp])
        #expect(
            machine.handle(.hungUp(at: M.open + .seconds(3))) == [
                .report([.streamed("alpaca", reconnects: 1, coalesced: 0, dropped: 0)]),
                .warn("stream failed", key: "error", text: "the server closed the connection; reconnect 1 in 1s"),
                .report([
                    .streamFailed(
                        "alpaca", judged: .down, message: "the server closed the connection; reconnect 1 in 1s",
                        at: M.open + .seconds(3))
                ]),
                .reconnect(after: .seconds(1))
            ])
        #expect(
            machine.note
                == "streaming from wss://stream.data.alpaca.markets/v2/iex; reconnect 1 after: the server closed the connection")
    }

    /// Failures in a row double the wait (1, 2, 4, ... up to 30 s); a connection that stayed up
    /// `stableAfter` (60 s) resets it, a shorter one does not.
    @Test(
        arguments: [
            ([Duration.zero, .zero, .zero, .zero, .zero, .zero], [1, 2, 4, 8, 16, 30]),
            ([.zero, .seconds(59), .seconds(60), .zero], [1, 2, 1, 2])
        ] as [([Duration], [Int64])])
    func theBackoff(_ upFor: [Duration], _ waits: [Int64]) {
        var machine = M.machine(M.alpaca)
        var now = M.open
        for (up, wait) in zip(upFor, waits) {
            _ = machine.handle(.connected(at: now, watching: [M.aapl]))
            _ = machine.handle(.messages([.connected], at: now))
            _ = machine.handle(.messages([.authenticated], at: now))
            now = now + up
            _ = machine.handle(.closed(error: "reset"))
            let end = machine.handle(.hungUp(at: now))
            #expect(end.last == .reconnect(after: .seconds(wait)), "after \(up) up")
            now = now + .seconds(wait)
        }
        #expect(machine.reconnects == waits.count)
    }

    @Test func theDeadlineEndsAConnectionThatNeverGoesLive() {
        var greeting = M.machine(M.alpaca)
        _ = greeting.handle(.connected(at: M.open, watching: [M.aapl]))
        #expect(greeting.handle(.deadline) == [.hangUp])
        #expect(
            greeting.handle(.hungUp(at: M.open)).contains(
                .warn(
                    "stream failed", key: "error", text: "no greeting within 15s of dialing; reconnect 1 in 1s")))

        var authenticating = M.machine(M.polygon)
        _ = authenticating.handle(.connected(at: M.open, watching: [M.aapl]))
        _ = authenticating.handle(.messages([.connected], at: M.open))
        #expect(authenticating.handle(.deadline) == [.hangUp])
        #expect(
            authenticating.handle(.hungUp(at: M.open)).contains(
                .warn(
                    "stream failed", key: "error",
                    text: "no answer to the authentication within 15s of dialing; reconnect 1 in 1s")))

        var live = M.live(M.alpaca)
        #expect(live.handle(.deadline) == [], "a live connection has met its deadline")
        var finnhub = M.machine(M.finnhub)
        _ = finnhub.handle(.connected(at: M.open, watching: [M.aapl]))
        #expect(finnhub.handle(.deadline) == [], "Finnhub is live once connected")
    }

    /// Silence is stale only while a subscribed symbol's market is open; stale is degraded, and the
    /// stream's to show even with a stand-in poller.
    @Test(arguments: [false, true])
    func silenceWhileTheMarketIsOpen(pollingFallback: Bool) {
        var machine = M.live(M.alpaca, pollingFallback: pollingFallback)
        #expect(machine.handle(.silent(at: M.weekend)) == [], "the market is closed: silence is normal")
        #expect(machine.phase == .live)
        #expect(machine.handle(.silent(at: M.open + .seconds(30))) == [.hangUp])
        let text = "no market data for 30s while the market is open: the stream is stale; reconnect 1 in 1s"
        #expect(
            machine.handle(.hungUp(at: M.open + .seconds(30))) == [
                .report([.streamed("alpaca", reconnects: 1, coalesced: 0, dropped: 0)]),
                .warn("stream failed", key: "error", text: text),
                .report([.streamFailed("alpaca", judged: .degraded, message: text, at: M.open + .seconds(30))]),
                .reconnect(after: .seconds(1))
            ])
    }

    @Test func aCryptoStreamIsNeverQuietBecauseOfTheStockMarket() {
        var machine = M.live(M.alpacaCrypto, watching: [M.btc])
        #expect(machine.handle(.silent(at: M.weekend)) == [.hangUp], "crypto trades around the clock")
    }

    @Test func marketDataMovesTheWatchdogsMarkAndControlFramesDoNot() {
        var machine = M.live(M.alpaca)
        let quote = MarketFixtures.quote("AAPL", source: "alpaca")
        _ = machine.handle(.messages([.event(.quote(quote))], at: M.open + .seconds(10)))
        #expect(machine.lastData == M.open + .seconds(10))
        _ = machine.handle(
            .messages([.subscription(trades: [], quotes: [], bars: []), .ignored(type: "s")], at: M.open + .seconds(20)))
        #expect(machine.lastData == M.open + .seconds(10))
    }

    @Test func aConnectionThatCannotBeOpenedIsAFailureToo() {
        var machine = M.machine(M.polygon)
        let text = "could not connect to wss://socket.polygon.io/stocks: refused; reconnect 1 in 1s"
        #expect(
            machine.handle(.dialFailed("refused", at: M.open)) == [
                .report([.streamed("polygon", reconnects: 1, coalesced: 0, dropped: 0)]),
                .warn("stream failed", key: "error", text: text),
                .report([.streamFailed("polygon", judged: .down, message: text, at: M.open)]),
                .reconnect(after: .seconds(1))
            ])
        #expect(machine.handle(.dialFailed("refused", at: M.open)).last == .reconnect(after: .seconds(2)))
    }

    @Test func stoppingEndsTheConnectionAsTheStreamStopped() {
        var machine = M.live(M.alpaca)
        #expect(machine.handle(.inputsEnded) == [.hangUp])
        #expect(
            machine.handle(.hungUp(at: M.open)).contains(
                .warn(
                    "stream failed", key: "error", text: "the stream stopped; reconnect 1 in 1s")))
    }
}
