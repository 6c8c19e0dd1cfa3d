import Collector
import CollectorTestSupport
import Foundation
import Testing

private let M = StreamMachineFixtures.self
private let F = MarketFixtures.self

/// One step of a protocol script: an input, and the actions the machine must answer it with.
private struct Step: CustomStringConvertible {
    var input: StreamProtocolMachine.Input
    var actions: [StreamProtocolMachine.Action]
    init(_ input: StreamProtocolMachine.Input, _ actions: [StreamProtocolMachine.Action]) {
        self.input = input
        self.actions = actions
    }
    var description: String { "\(input)" }
}

/// Feeds `steps` to `machine` in turn, checking each step's actions.
private func run(_ machine: inout StreamProtocolMachine, _ steps: [Step], sourceLocation: SourceLocation = #_sourceLocation) {
    for (index, step) in steps.enumerated() {
        let actions = machine.handle(step.input)
        #expect(actions == step.actions, "step \(index + 1): \(step)", sourceLocation: sourceLocation)
    }
}

/// Each provider's protocol as a script of inputs and the actions they call for (provider-formats.md
/// §1.6, §1.7, §4.4, §5.4): greeting, authentication, going live, following the watchlist, values.
@Suite("Stream protocol machine")
struct StreamProtocolMachineTests {
    @Test func alpacaStocksGreetsAuthenticatesSubscribesAndFollowsTheWatchlist() {
        var machine = M.machine(M.alpaca)
        let note = "streaming from wss://stream.data.alpaca.markets/v2/iex"
        let quote = F.quote("AAPL", source: "alpaca")
        let late = F.quote("AAPL", source: "alpaca", bid: 101)
        run(
            &machine,
            [
                // The crypto pair is not on the stock stream.
                Step(.connected(at: M.open, watching: [M.aapl, M.btc]), []),
                Step(
                    .frame(#"[{"T":"success","msg":"connected"}]"#, at: M.open),
                    [.send(#"{"action":"auth","key":"\#(M.key)","secret":"\#(M.secret)"}"#)]),
                Step(
                    .frame(#"[{"T":"success","msg":"authenticated"}]"#, at: M.open),
                    [.send(M.alpacaFrame("subscribe", ["AAPL"])), .subscribed([M.aapl])] + M.wentLive("alpaca", note: note)),
                Step(.frame(#"[{"T":"subscription","trades":["AAPL"],"quotes":["AAPL"],"bars":["AAPL"]}]"#, at: M.open), []),
                Step(.messages([.event(.quote(quote))], at: M.open), [.deliver([.quote(quote)])]),
                Step(
                    .wanted([M.aapl, M.msft, M.nvda, M.btc]),
                    [.send(M.alpacaFrame("subscribe", ["MSFT", "NVDA"])), .subscribed([M.aapl, M.msft, M.nvda])]),
                Step(.wanted([M.msft, M.nvda]), [.send(M.alpacaFrame("unsubscribe", ["AAPL"])), .subscribed([M.msft, M.nvda])]),
                // Data already on its way for the symbol just unsubscribed is counted, not delivered.
                Step(.messages([.event(.quote(late))], at: M.open), [.dropLate]),
                Step(.frame(#"[{"T":"s","S":"MSFT","sc":"H"}]"#, at: M.open), [])
            ])
        #expect(machine.phase == .live)
        #expect(machine.subscribed == [M.msft, M.nvda])
    }

    @Test func alpacaCryptoServesPairsOnly() {
        var machine = M.machine(M.alpacaCrypto)
        run(
            &machine,
            [
                Step(.connected(at: M.open, watching: [M.aapl, M.btc]), []),
                Step(
                    .messages([.connected], at: M.open), [.send(#"{"action":"auth","key":"\#(M.key)","secret":"\#(M.secret)"}"#)]),
                Step(
                    .messages([.authenticated], at: M.open),
                    [.send(M.alpacaFrame("subscribe", ["BTC/USD"])), .subscribed([M.btc])]
                        + M.wentLive("alpaca", note: "streaming from wss://stream.data.alpaca.markets/v1beta3/crypto/us"))
            ])
    }

    @Test func polygonAuthenticatesWithItsKeyAndSubscribesThreeChannelsPerSymbol() {
        var machine = M.machine(M.polygon)
        run(
            &machine,
            [
                Step(.connected(at: M.open, watching: [M.aapl, M.msft, M.btc]), []),
                Step(
                    .frame(#"[{"ev":"status","status":"connected","message":"Connected Successfully"}]"#, at: M.open),
                    [.send(#"{"action":"auth","params":"\#(M.key)"}"#)]),
                Step(
                    .frame(#"[{"ev":"status","status":"auth_success","message":"authenticated"}]"#, at: M.open),
                    [
                        .send(#"{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL,T.MSFT,Q.MSFT,AM.MSFT"}"#),
                        .subscribed([M.aapl, M.msft])
                    ]
                        + M.wentLive("polygon", note: "streaming from wss://socket.polygon.io/stocks")),
                Step(.frame(#"[{"ev":"status","status":"success","message":"subscribed to: T.AAPL"}]"#, at: M.open), []),
                Step(
                    .wanted([M.msft]),
                    [.send(#"{"action":"unsubscribe","params":"T.AAPL,Q.AAPL,AM.AAPL"}"#), .subscribed([M.msft])])
            ])
    }

    @Test func finnhubIsLiveOnConnectAndGivesAQuotePerTrade() {
        var machine = M.machine(M.finnhub)
        let trade = F.trade("MSFT", source: "finnhub", price: 410.5)
        let quote = Quote(
            lastTrade: trade.symbol, source: "finnhub", price: 410.5, exchangeTime: trade.exchangeTime,
            receivedAt: trade.receivedAt)
        run(
            &machine,
            [
                Step(
                    .connected(at: M.open, watching: [M.aapl, M.msft]),
                    [
                        .send(#"{"symbol":"AAPL","type":"subscribe"}"#), .send(#"{"symbol":"MSFT","type":"subscribe"}"#),
                        .subscribed([M.aapl, M.msft])
                    ]
                        + M.wentLive("finnhub", note: "streaming from wss://ws.finnhub.io/?token=***")),
                Step(.messages([.event(.trade(trade))], at: M.open), [.deliver([.trade(trade), .quote(quote)])]),
                // A ping is a control frame: nothing to do, and no market data for the watchdog.
                Step(.frame(#"{"type":"ping"}"#, at: M.open + .seconds(20)), []),
                Step(.wanted([M.msft]), [.send(#"{"symbol":"AAPL","type":"unsubscribe"}"#), .subscribed([M.msft])])
            ])
        #expect(machine.lastData == M.open, "the ping did not count as data")
    }

    @Test func aGreetingAfterTheConnectionIsLiveIsIgnored() {
        var machine = M.live(M.alpaca)
        run(
            &machine,
            [
                Step(.messages([.connected], at: M.open), []),
                Step(.messages([.authenticated], at: M.open), [])
            ])
    }

    @Test func anUnreadableMessageIsCountedAndReportedWithoutTheKey() {
        var machine = M.live(M.alpaca)
        let first = "1 unreadable stream message(s), last: not a JSON array of messages: oops"
        run(
            &machine,
            [
                Step(
                    .frame("oops", at: M.open),
                    [
                        .warn("malformed stream message", key: "detail", text: first),
                        .report([.streamTrouble("alpaca", message: first, degrades: true)])
                    ])
            ])
        let actions = machine.handle(.messages([.malformed("a 'q' message for \(M.key)")], at: M.open))
        let second = "2 unreadable stream message(s), last: a 'q' message for ***"
        #expect(
            actions == [
                .warn("malformed stream message", key: "detail", text: second),
                .report([.streamTrouble("alpaca", message: second, degrades: true)])
            ])
    }

    /// A frame's values go to the buffer as one delivery; a value of a symbol no longer
    /// subscribed is counted between them, in its place.
    @Test func aFramesValuesAreDeliveredTogether() {
        var machine = M.live(M.alpaca, watching: [M.aapl, M.msft])
        let (aapl, msft) = (F.quote("AAPL", source: "alpaca"), F.quote("MSFT", source: "alpaca"))
        let late = F.quote("NVDA", source: "alpaca")
        let frame: [StreamMessage] = [.event(.quote(aapl)), .event(.quote(msft)), .event(.quote(late)), .event(.quote(aapl))]
        #expect(
            machine.handle(.messages(frame, at: M.open))
                == [.deliver([.quote(aapl), .quote(msft)]), .dropLate, .deliver([.quote(aapl)])])
        #expect(machine.handle(.messages([.event(.quote(late))], at: M.open)) == [.dropLate], "nothing to deliver: no delivery")
    }

    @Test func valuesAroundAnErrorThatEndsTheConnectionAreNotRead() {
        var machine = M.live(M.alpaca)
        let quote = F.quote("AAPL", source: "alpaca")
        let actions = machine.handle(
            .messages(
                [
                    .event(.quote(quote)), .error(code: 402, message: "auth failed"), .event(.quote(quote))
                ], at: M.open))
        #expect(actions == [.deliver([.quote(quote)]), .hangUp])
        #expect(machine.handle(.messages([.event(.quote(quote))], at: M.open)) == [], "after a hang-up only its end counts")
        #expect(machine.handle(.wanted([M.msft])) == [])
    }

    @Test func aFailedSendHangsUp() {
        var machine = M.live(M.alpaca)
        #expect(machine.handle(.sendFailed("broken pipe")) == [.hangUp])
        let end = machine.handle(.hungUp(at: M.open))
        #expect(
            end.contains(
                .report([
                    .streamFailed("alpaca", judged: .down, message: "sending failed: broken pipe; reconnect 1 in 1s", at: M.open)
                ])))
        #expect(end.last == .reconnect(after: .seconds(1)))
    }

    @Test func secretsNeverShowInReportsOrLogs() {
        for provider in [M.alpaca, M.polygon, M.finnhub] as [any StreamProvider] {
            // Alpaca has a key and a secret, the others a key only.
            let secrets = provider.id == "alpaca" ? [M.key, M.secret] : [M.key]
            let said = secrets.joined(separator: " and ")
            var machine = M.live(provider)
            var actions = machine.handle(.messages([.malformed("bad \(said)")], at: M.open))
            actions += machine.handle(.messages([.error(code: 400, message: "echo \(said)")], at: M.open))
            actions += machine.handle(.closed(error: "reset by \(said)"))
            actions += machine.handle(.hungUp(at: M.open))
            var dialing = M.machine(provider)
            actions += dialing.handle(.dialFailed("refused at \(provider.url) by \(said)", at: M.open))
            let shown = M.shownText(actions) + machine.note + dialing.note
            #expect(!secrets.contains { shown.contains($0) }, "\(provider.id): \(shown)")
            #expect(shown.components(separatedBy: "***").count > 5, "the secrets were there, masked")
        }
    }
}
