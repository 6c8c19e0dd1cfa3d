import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Finnhub stream")
struct FinnhubStreamTests {
    static let key = "fhKEYvalue0000123"
    let stream = FinnhubStream(id: "finnhub", baseURL: "wss://ws.finnhub.io", key: Self.key)
    let now = Timestamp(seconds: 1_709_653_400)

    @Test func decodesTradesPingsAndErrors() {
        let frame =
            #"{"data":[{"c":["1","12"],"p":170.42,"s":"AAPL","t":1709653327318,"v":100},{"p":"x","s":"AAPL","t":1}],"type":"trade"}"#
        let messages = stream.decoder.decode(frame, source: "finnhub", receivedAt: now)
        #expect(
            messages.first
                == .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("AAPL"), source: "finnhub", price: 170.42, size: 100,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_318), receivedAt: now))))
        #expect(messages.count == 2)
        #expect(messages.last == .malformed("a trade for AAPL with an unusable 'p': expected a number, found a string"))
        #expect(stream.decoder.decode(#"{"type":"ping"}"#, source: "finnhub", receivedAt: now) == [.ignored(type: "ping")])
        #expect(
            stream.decoder.decode(
                #"{"type":"error","msg":"Subscribing to too many symbols"}"#, source: "finnhub", receivedAt: now)
                == [.error(code: 0, message: "Subscribing to too many symbols")])
        #expect(stream.decoder.decode(#"{"type":"error"}"#, source: "finnhub", receivedAt: now) == [.error(code: 0, message: "")])
    }

    @Test func aPingIsAControlFrameNotMarketData() {
        let messages = stream.decoder.decode(#"{"type":"ping"}"#, source: "finnhub", receivedAt: now)
        #expect(messages == [.ignored(type: "ping")])
        #expect(!messages.contains { $0.isMarketData }, "pings never keep a stale stream alive")
        #expect(stream.decoder.decode(" {\"type\" : \"ping\"}\n", source: "finnhub", receivedAt: now) == [.ignored(type: "ping")])
    }

    @Test func aBadTradeIsMalformedInItsPlaceAndTheOthersKeptInOrder() {
        let frame = #"""
            {"type":"trade","data":[{"p":170.42,"s":"AAPL","t":1709653327318,"v":100},
                                    {"s":"MSFT","t":1709653327319},
                                    "x",
                                    {"p":400.5,"s":"MSFT","t":1709653327320,"v":0}]}
            """#
        #expect(
            stream.decoder.decode(frame, source: "finnhub", receivedAt: now) == [
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("AAPL"), source: "finnhub", price: 170.42, size: 100,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_318), receivedAt: now))),
                .malformed("a trade for MSFT without 'p'"),
                .malformed("a trade that is not an object"),
                .event(
                    .trade(
                        Trade(
                            symbol: F.symbol("MSFT"), source: "finnhub", price: 400.5, size: 0,
                            exchangeTime: Timestamp(milliseconds: 1_709_653_327_320), receivedAt: now)))
            ])
    }

    @Test func framesOfAnotherShape() {
        let decode = { stream.decoder.decode($0, source: "finnhub", receivedAt: now) }
        #expect(decode("not json") == [.malformed("not a Finnhub message: not json")])
        #expect(decode(#"[{"type":"ping"}]"#) == [.malformed(#"not a Finnhub message: [{"type":"ping"}]"#)])
        #expect(decode(#"{"type":"trade","data":{}}"#) == [.malformed(#"not a Finnhub message: {"type":"trade","data":{}}"#)])
        #expect(decode(#"{"data":[]}"#) == [.malformed(#"not a Finnhub message: {"data":[]}"#)])
        #expect(decode(#"{"type":"trade"}"#).isEmpty, "a trade frame without data carries no trades")
        #expect(decode(#"{"type":"news","data":[{"headline":"x"}]}"#) == [.ignored(type: "news")])
    }

    @Test func eachTradeAlsoGivesALastTradeQuote() {
        let trade = Trade(
            symbol: F.symbol("AAPL"), source: "finnhub", price: 170.42, size: 100,
            exchangeTime: Timestamp(milliseconds: 1_709_653_327_318), receivedAt: now)
        let quote = stream.quote(for: trade)
        #expect(quote?.price == 170.42 && quote?.bid == nil && quote?.ask == nil && quote?.isLastTrade == true)
        #expect(quote?.exchangeTime == trade.exchangeTime && quote?.receivedAt == now && quote?.source == "finnhub")
        let alpaca = AlpacaStream(id: "alpaca", url: "wss://stream.data.alpaca.markets/v2/iex", credentials: .init())
        #expect(alpaca.quote(for: trade) == nil, "Alpaca sends its own quotes")
    }

    @Test func theTokenInTheURLIsNeverShown() {
        #expect(stream.url == "wss://ws.finnhub.io/?token=\(Self.key)")
        #expect(!String(describing: stream).contains(Self.key))
        #expect(String(describing: stream).contains("token=***"))
        #expect(!stream.failure(code: 0, message: "bad token \(Self.key)").message.contains(Self.key))
        #expect(stream.isLiveOnConnect && stream.authenticationFrame() == nil)
        #expect(
            stream.subscribeFrames([F.symbol("AAPL"), F.symbol("MSFT")])
                == [#"{"symbol":"AAPL","type":"subscribe"}"#, #"{"symbol":"MSFT","type":"subscribe"}"#])
    }
}
