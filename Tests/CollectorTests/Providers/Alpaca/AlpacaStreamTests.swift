import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Alpaca stream")
struct AlpacaStreamTests {
    static let key = "PKSTREAMKEY00042"
    static let secret = "streamSECRETvalue0099"
    let stream = AlpacaStream(
        id: "alpaca", url: "wss://stream.data.alpaca.markets/v2/iex",
        credentials: ProviderCredentials(key: Self.key, secret: Self.secret))
    let decoder = AlpacaStreamMessageDecoder()
    let now = Timestamp(seconds: 1_709_653_400)

    @Test func decodesTradesQuotesAndBarsWithExactTimes() {
        let frame = #"""
            [{"T":"t","S":"AAPL","i":52983,"x":"V","p":170.42,"s":100,"t":"2024-03-05T15:42:07.318519296Z","c":["@"],"z":"C"},
             {"T":"q","S":"AMD","bx":"V","bp":210.55,"bs":2,"ax":"V","ap":210.61,"as":1,"t":"2024-03-05T15:42:07.401Z","c":["R"],"z":"C"},
             {"T":"b","S":"SPY","o":507.81,"h":507.95,"l":507.7,"c":507.9,"v":18831,"t":"2024-03-05T15:41:00Z","n":212,"vw":507.8364}]
            """#
        let messages = decoder.decode(frame, source: "alpaca", receivedAt: now)
        let tradeTime = Timestamp(rfc3339: "2024-03-05T15:42:07.318519296Z")!
        #expect(tradeTime.nanoseconds % 1_000_000_000 == 318_519_296)
        #expect(
            messages == [
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("AAPL"), source: "alpaca", price: 170.42, size: 100,
                            exchangeTime: tradeTime, receivedAt: now, tradeID: "52983"))),
                .event(
                    .quote(
                        Quote(
                            symbol: F.symbol("AMD"), source: "alpaca", bid: 210.55, bidSize: 2, ask: 210.61, askSize: 1,
                            exchangeTime: Timestamp(rfc3339: "2024-03-05T15:42:07.401Z")!, receivedAt: now))),
                .event(
                    .bar(
                        Bar(
                            symbol: F.symbol("SPY"), source: "alpaca", timeframe: .oneMinute,
                            start: Timestamp(rfc3339: "2024-03-05T15:41:00Z")!, open: 507.81, high: 507.95, low: 507.7,
                            close: 507.9, volume: 18831, vwap: 507.8364, tradeCount: 212)))
            ])
    }

    @Test func decodesControlMessagesAndCryptoTrades() {
        #expect(decoder.decode(#"[{"T":"success","msg":"connected"}]"#, source: "alpaca", receivedAt: now) == [.connected])
        #expect(
            decoder.decode(#"[{"T":"success","msg":"authenticated"}]"#, source: "alpaca", receivedAt: now) == [.authenticated])
        #expect(
            decoder.decode(#"[{"T":"error","code":406,"msg":"connection limit exceeded"}]"#, source: "alpaca", receivedAt: now)
                == [.error(code: 406, message: "connection limit exceeded")])
        let echo = #"[{"T":"subscription","trades":["AAPL"],"quotes":["AMD"],"bars":[],"updatedBars":[],"statuses":["*"]}]"#
        #expect(
            decoder.decode(echo, source: "alpaca", receivedAt: now) == [
                .subscription(trades: ["AAPL"], quotes: ["AMD"], bars: [])
            ])
        let crypto = #"[{"T":"t","S":"BTC/USD","p":67234.5,"s":0.01542,"t":"2024-03-05T15:42:07.511823Z","i":7711203,"tks":"B"}]"#
        guard case .event(.trade(let trade))? = decoder.decode(crypto, source: "alpaca", receivedAt: now).first else {
            Issue.record("no trade")
            return
        }
        #expect(trade.symbol == F.symbol("BTC-USD"))
        #expect(trade.size == 0.01542)
        #expect(decoder.decode(#"[{"T":"s","S":"AAPL","sc":"H"}]"#, source: "alpaca", receivedAt: now) == [.ignored(type: "s")])
    }

    @Test func malformedElementsAreReportedAndTheRestKept() {
        let frame = #"""
            [{"T":"q","S":"AAPL","bp":"x","ap":1,"t":"2024-03-05T15:42:07Z"},
             {"T":"t","S":"AAPL","p":170.1,"s":5,"t":"yesterday"},
             {"T":"b","S":"SPY","o":1,"h":2,"l":0.5,"v":10,"t":"2024-03-05T15:41:00Z"},
             {"nope":1},
             {"T":"t","S":"MSFT","p":400.5,"s":1,"t":"2024-03-05T15:42:08Z"}]
            """#
        let messages = decoder.decode(frame, source: "alpaca", receivedAt: now)
        #expect(messages.count == 5)
        #expect(
            Array(messages.prefix(4)) == [
                .malformed("a 'q' message for AAPL with an unusable 'bp': expected a number, found a string"),
                .malformed("a 't' message for AAPL with an unusable 't': 'yesterday' is not an RFC 3339 time"),
                .malformed("a 'b' message for SPY without 'c'"),
                .malformed("a message without 'T'")
            ])
        guard case .event(.trade(let trade)) = messages[4] else {
            Issue.record("the good trade was lost")
            return
        }
        #expect(trade.price == 400.5)
        #expect(
            decoder.decode("not json", source: "alpaca", receivedAt: now) == [
                .malformed("not a JSON array of messages: not json")
            ])
        #expect(
            decoder.decode(#"{"T":"t"}"#, source: "alpaca", receivedAt: now)
                == [.malformed(#"not a JSON array of messages: {"T":"t"}"#)])
    }

    @Test func aBadMessageInABatchIsMalformedInItsPlaceAndTheOthersKeptInOrder() {
        let frame = #"""
            [{"T":"success","msg":"authenticated"},
             {"T":"q","S":"AAPL","bp":170.4,"bs":3,"ap":170.43,"as":2,"t":"2024-03-05T15:42:07Z"},
             {"T":"t","S":"MSFT","p":"x","s":5,"t":"2024-03-05T15:42:07Z"},
             17,
             {"T":"t","S":"MSFT","p":400.5,"s":1,"t":"2024-03-05T15:42:08Z"}]
            """#
        #expect(
            decoder.decode(frame, source: "alpaca", receivedAt: now) == [
                .authenticated,
                .event(
                    .quote(
                        Quote(
                            symbol: F.symbol("AAPL"), source: "alpaca", bid: 170.4, bidSize: 3, ask: 170.43, askSize: 2,
                            exchangeTime: Timestamp(rfc3339: "2024-03-05T15:42:07Z")!, receivedAt: now))),
                .malformed("a 't' message for MSFT with an unusable 'p': expected a number, found a string"),
                .malformed("a message that is not an object"),
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("MSFT"), source: "alpaca", price: 400.5, size: 1,
                            exchangeTime: Timestamp(rfc3339: "2024-03-05T15:42:08Z")!, receivedAt: now)))
            ])
    }

    @Test func aFrameThatIsNotJSONIsOneShortMalformedWithoutSecrets() {
        let frame = "<html>" + String(repeating: "x", count: 300) + Self.secret
        let messages = decoder.decode(frame, source: "alpaca", receivedAt: now)
        guard messages.count == 1, case .malformed(let text) = messages[0] else {
            Issue.record("expected one malformed message, got \(messages)")
            return
        }
        #expect(text.hasPrefix("not a JSON array of messages: <html>xxx"))
        #expect(text.count < 100 && !text.contains(Self.secret))
    }

    @Test func valuesAreMappedAsSentAndTypesNotUsedAreIgnored() {
        // A price of 0 is the validator's to judge (bad-price), not a decoding failure.
        let zero = #"[{"T":"t","S":"AAPL","p":0,"s":1,"t":"2024-03-05T15:42:08Z"}]"#
        #expect(
            decoder.decode(zero, source: "alpaca", receivedAt: now) == [
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("AAPL"), source: "alpaca", price: 0, size: 1,
                            exchangeTime: Timestamp(rfc3339: "2024-03-05T15:42:08Z")!, receivedAt: now)))
            ])
        // LULD bands carry a string indicator 'i' (a trade's id is a number): ignored, not malformed.
        let luld = #"[{"T":"l","S":"AAPL","u":185.2,"d":167.6,"i":"B","t":"2024-03-05T15:42:08Z","z":"C"}]"#
        #expect(decoder.decode(luld, source: "alpaca", receivedAt: now) == [.ignored(type: "l")])
        #expect(
            decoder.decode(#"[{"T":"success","msg":"other"}]"#, source: "alpaca", receivedAt: now) == [.ignored(type: "success")])
        #expect(decoder.decode("[]", source: "alpaca", receivedAt: now).isEmpty)
    }

    @Test func valuesCarryTheSourceOfEachCall() {
        let frame = #"[{"T":"t","S":"AAPL","p":1,"t":"2024-03-05T15:42:08Z"}]"#
        for source: SourceID in ["alpaca", "alpaca-crypto", "alpaca"] {
            guard case .event(let event)? = decoder.decode(frame, source: source, receivedAt: now).first else {
                Issue.record("no event")
                return
            }
            #expect(event.source == source)
        }
    }

    @Test func oneDecoderServesConcurrentStreams() async {
        let decoder = decoder
        let now = now
        let symbols = ["AAPL", "MSFT", "NVDA", "AMZN"]
        let decoded = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for symbol in symbols {
                group.addTask {
                    let frame =
                        #"[{"T":"t","S":"\#(symbol)","p":1,"t":"2024-03-05T15:42:08Z"},{"T":"t","S":"\#(symbol)","p":"x"}]"#
                    return (0..<500).allSatisfy { _ in
                        let messages = decoder.decode(frame, source: "alpaca", receivedAt: now)
                        guard case .event(let event)? = messages.first else { return false }
                        return messages.count == 2 && event.symbol.rawValue == symbol
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(decoded == Array(repeating: true, count: symbols.count))
    }

    @Test func sendsTheDocumentedAuthAndSubscribeFrames() {
        #expect(stream.authenticationFrame() == #"{"action":"auth","key":"\#(Self.key)","secret":"\#(Self.secret)"}"#)
        #expect(
            stream.subscribeFrames([F.symbol("AAPL"), F.symbol("BRK.B")])
                == [#"{"action":"subscribe","bars":["AAPL","BRK.B"],"quotes":["AAPL","BRK.B"],"trades":["AAPL","BRK.B"]}"#])
        #expect(
            stream.unsubscribeFrames([F.symbol("AAPL")]) == [
                #"{"action":"unsubscribe","bars":["AAPL"],"quotes":["AAPL"],"trades":["AAPL"]}"#
            ])
        #expect(stream.unsubscribeFrames([]).isEmpty)
        #expect(stream.serves(F.symbol("AAPL")) && !stream.serves(F.symbol("BTC-USD")) && !stream.serves(F.symbol("^GSPC")))
        let crypto = AlpacaStream(id: "alpaca", url: "wss://stream.data.alpaca.markets/v1beta3/crypto/us", credentials: .init())
        #expect(crypto.serves(F.symbol("BTC-USD")) && !crypto.serves(F.symbol("AAPL")))
        #expect(
            crypto.subscribeFrames([F.symbol("BTC-USD")]) == [
                #"{"action":"subscribe","bars":["BTC/USD"],"quotes":["BTC/USD"],"trades":["BTC/USD"]}"#
            ])
        #expect(!String(describing: stream).contains(Self.key))
    }

    @Test(arguments: [
        (400, HealthState.degraded, StreamFailure.Action.keepConnection),
        (401, .down, .reconnect),
        (402, .down, .stop),
        (403, .streaming, .keepConnection),
        (404, .down, .reconnect),
        (405, .degraded, .keepConnection),
        (406, .down, .pause(.seconds(300))),
        (407, .degraded, .reconnect),
        (408, .down, .stop),
        (409, .down, .stop),
        (410, .degraded, .keepConnection),
        (411, .down, .stop),
        (429, .rateLimited, .pause(.seconds(300))),
        (500, .down, .reconnect)
    ])
    func mapsEachErrorCode(code: Int, state: HealthState, action: StreamFailure.Action) {
        let failure = stream.failure(code: code, message: "server says \(Self.key)")
        #expect(failure.state == state)
        #expect(failure.action == action)
        #expect(failure.code == code)
        #expect(failure.message.contains("\(code)"))
        #expect(!failure.message.contains(Self.key), "keys never reach a message")
    }

    @Test func explainsTheFatalCodes() {
        #expect(stream.failure(code: 402, message: "auth failed").message.contains("not reconnecting"))
        #expect(stream.failure(code: 406, message: "connection limit exceeded").message.contains("another session"))
        #expect(stream.failure(code: 409, message: "insufficient subscription").message.contains("iex"))
    }
}
