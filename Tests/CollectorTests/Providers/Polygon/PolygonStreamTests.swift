import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Polygon stream")
struct PolygonStreamTests {
    static let key = "polyKEYvalue123456"
    let stream = PolygonStream(id: "polygon", url: "wss://socket.massive.com/stocks", key: Self.key)
    let now = Timestamp(seconds: 1_709_653_400)

    @Test func decodesTradesQuotesAndMinuteAggregates() {
        let frame = #"""
            [{"ev":"T","sym":"AAPL","x":4,"i":"52983","z":3,"p":170.42,"s":100,"c":[12,37],"t":1709653327318,"q":4912877},
             {"ev":"Q","sym":"AAPL","bx":19,"bp":170.4,"bs":3,"ax":11,"ap":170.43,"as":2,"c":1,"i":[604],"t":1709653327402,"q":83480742,"z":3},
             {"ev":"AM","sym":"AAPL","v":81230,"av":21870555,"op":170.76,"vw":170.3977,"o":170.38,"c":170.41,"h":170.45,"l":170.33,"a":170.8233,"z":84,"s":1709653260000,"e":1709653320000}]
            """#
        let messages = stream.decoder.decode(frame, source: "polygon", receivedAt: now)
        #expect(
            messages == [
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("AAPL"), source: "polygon", price: 170.42, size: 100,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_318), receivedAt: now, tradeID: "52983"))),
                .event(
                    .quote(
                        Quote(
                            symbol: F.symbol("AAPL"), source: "polygon", bid: 170.4, bidSize: 3, ask: 170.43, askSize: 2,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_402), receivedAt: now))),
                .event(
                    .bar(
                        Bar(
                            symbol: F.symbol("AAPL"), source: "polygon", timeframe: .oneMinute,
                            start: Timestamp(milliseconds: 1_709_653_260_000), open: 170.38, high: 170.45, low: 170.33,
                            close: 170.41, volume: 81230, vwap: 170.3977)))
            ])
    }

    @Test func readsStatusMessages() {
        let decode = { stream.decoder.decode($0, source: "polygon", receivedAt: now) }
        #expect(decode(#"[{"ev":"status","status":"connected","message":"Connected Successfully"}]"#) == [.connected])
        #expect(decode(#"[{"ev":"status","status":"auth_success","message":"authenticated"}]"#) == [.authenticated])
        #expect(decode(#"[{"ev":"status","status":"success","message":"subscribed to: T.AAPL"}]"#) == [.ignored(type: "status")])
        #expect(
            decode(#"[{"ev":"status","status":"auth_failed","message":"authentication failed"}]"#)
                == [.error(code: 0, message: "auth_failed: authentication failed")])
        #expect(decode(#"[{"ev":"T","sym":"AAPL","p":1}]"#) == [.malformed("a 'T' message for AAPL without 't'")])
        #expect(decode(#"[{"ev":"status"}]"#) == [.malformed("a 'status' message without 'status'")])
    }

    @Test func aBadEventInABatchIsMalformedInItsPlaceAndTheOthersKeptInOrder() {
        let frame = #"""
            [{"ev":"status","status":"success","message":"subscribed to: T.AAPL"},
             {"ev":"T","sym":"AAPL","p":"x","s":100,"t":1709653327318},
             {"ev":"Q","sym":"AAPL","bp":170.4,"bs":3,"ap":170.43,"as":2,"t":1709653327402},
             {"sym":"MSFT"},
             {"ev":"T","sym":"MSFT","p":400.5,"s":0,"t":1709653327500}]
            """#
        #expect(
            stream.decoder.decode(frame, source: "polygon", receivedAt: now) == [
                .ignored(type: "status"),
                .malformed("a 'T' message for AAPL with an unusable 'p': expected a number, found a string"),
                .event(
                    .quote(
                        Quote(
                            symbol: F.symbol("AAPL"), source: "polygon", bid: 170.4, bidSize: 3, ask: 170.43, askSize: 2,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_402), receivedAt: now))),
                .malformed("a message without 'ev'"),
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("MSFT"), source: "polygon", price: 400.5, size: 0,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_500), receivedAt: now)))
            ])
    }

    @Test func aFrameOfAnotherShapeIsOneShortMalformed() {
        let decode = { stream.decoder.decode($0, source: "polygon", receivedAt: now) }
        #expect(decode("not json") == [.malformed("not a JSON array of messages: not json")])
        #expect(
            decode(#"{"ev":"status","status":"connected"}"#)
                == [.malformed(#"not a JSON array of messages: {"ev":"status","status":"connected"}"#)])
        guard case .malformed(let text)? = decode("[" + String(repeating: "9", count: 500)).first else {
            Issue.record("not malformed")
            return
        }
        #expect(text.count < 100)
    }

    @Test func sendsTheDocumentedFramesAndMapsFailures() {
        #expect(stream.authenticationFrame() == #"{"action":"auth","params":"\#(Self.key)"}"#)
        #expect(
            stream.subscribeFrames([F.symbol("AAPL"), F.symbol("MSFT")])
                == [#"{"action":"subscribe","params":"T.AAPL,Q.AAPL,AM.AAPL,T.MSFT,Q.MSFT,AM.MSFT"}"#])
        #expect(stream.unsubscribeFrames([F.symbol("AAPL")]) == [#"{"action":"unsubscribe","params":"T.AAPL,Q.AAPL,AM.AAPL"}"#])
        let refused = stream.failure(code: 0, message: "auth_failed: authentication failed \(Self.key)")
        #expect(refused.action == .stop && refused.state == .down && !refused.message.contains(Self.key))
        #expect(stream.failure(code: 0, message: "max_connections: Maximum number").action == .pause(.seconds(300)))
        #expect(stream.failure(code: 0, message: "auth_timeout: No authentication request received.").action == .reconnect)
    }
}
