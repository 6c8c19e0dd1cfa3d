import Collector
import Testing

@Suite("Alpaca stream decoding")
struct AlpacaStreamDecoderTests {
    typealias Kit = StreamTestKit

    static func fixture(_ name: String) throws -> String { try Fixture.text("alpaca/\(name).json") }

    @Test func controlMessages() throws {
        #expect(try Kit.alpaca(Self.fixture("stream-connected")) == [.success(message: "connected")])
        #expect(try Kit.alpaca(Self.fixture("stream-authenticated")) == [.success(message: "authenticated")])
        #expect(try Kit.alpaca(Self.fixture("stream-error-406")) == [.error(code: 406, message: "connection limit exceeded")])
        let subscribed = AlpacaStreamMessage.Subscription(
            trades: ["AAPL"], quotes: ["AMD"], bars: ["*"], statuses: ["*"])
        #expect(try Kit.alpaca(Self.fixture("stream-subscription")) == [.subscription(subscribed)])
        var unsubscribed = subscribed
        unsubscribed.bars = []
        #expect(try Kit.alpaca(Self.fixture("stream-subscription-unsubscribed")) == [.subscription(unsubscribed)])
    }

    @Test(arguments: [
        (400, "invalid syntax"), (401, "not authenticated"), (402, "auth failed"), (403, "already authenticated"),
        (404, "auth timeout"), (405, "symbol limit exceeded"), (406, "connection limit exceeded"), (407, "slow client"),
        (408, "v2 not enabled"), (409, "insufficient subscription"), (410, "invalid subscribe action for this feed"),
        (411, "insufficient scope"), (500, "internal error")
    ])
    func documentedErrorCodes(code: Int, message: String) throws {
        let frame = #"[{"T":"error","code":\#(code),"msg":"\#(message)"}]"#
        #expect(try Kit.alpaca(frame) == [.error(code: code, message: message)])
    }

    @Test func tradesAndQuotesKeepEveryNanosecond() throws {
        let messages = try Kit.alpaca(Self.fixture("stream-trade-quote"))
        let trade = Trade(
            symbol: try Symbol("AAPL"), source: "alpaca", price: 170.42, size: 100,
            exchangeTime: Timestamp(nanoseconds: 1_709_653_327_318_519_296), receivedAt: Kit.receivedAt, tradeID: "52983")
        let quote = Quote(
            symbol: try Symbol("AMD"), source: "alpaca", bid: 210.55, bidSize: 2, ask: 210.61, askSize: 1,
            exchangeTime: Kit.time("2024-03-05T15:42:07.401Z"), receivedAt: Kit.receivedAt)
        #expect(messages == [.trade(trade), .quote(quote)])
        #expect(messages.compactMap(\.event) == [.trade(trade), .quote(quote)])
    }

    @Test func minuteUpdatedAndDailyBars() throws {
        let spy = try Symbol("SPY")
        let minute = Bar(
            symbol: spy, source: "alpaca", timeframe: .oneMinute, start: Kit.time("2024-03-05T15:41:00Z"), open: 507.81,
            high: 507.95, low: 507.7, close: 507.9, volume: 18831, vwap: 507.8364, tradeCount: 212)
        #expect(try Kit.alpaca(Self.fixture("stream-bar")) == [.bar(minute, .minute)])

        let messages = try Kit.alpaca(Self.fixture("stream-updated-daily-bars"))
        let updated = Bar(
            symbol: spy, source: "alpaca", timeframe: .oneMinute, start: Kit.time("2024-03-05T15:41:00Z"), open: 507.81,
            high: 507.99, low: 507.7, close: 507.93, volume: 18904, vwap: 507.8371, tradeCount: 214)
        // Stamped at New York midnight (05:00Z in March): the bar of that New York date.
        let daily = Bar(
            symbol: spy, source: "alpaca", timeframe: .oneDay, start: Kit.time("2024-03-05T00:00:00Z"), open: 506.3,
            high: 508.1, low: 505.92, close: 507.93, volume: 31_877_240, vwap: 507.0184, tradeCount: 287_113)
        #expect(messages == [.bar(updated, .updated), .bar(daily, .daily)])
    }

    @Test func cryptoTradesAndQuotes() throws {
        let trade = Trade(
            symbol: try Symbol("BTC-USD"), source: "alpaca", price: 67234.5, size: 0.01542,
            exchangeTime: Kit.time("2024-03-05T15:42:07.511823Z"), receivedAt: Kit.receivedAt, tradeID: "7711203")
        #expect(try Kit.alpaca(Self.fixture("stream-crypto-trade")) == [.trade(trade)])
        let quote = Quote(
            symbol: try Symbol("ETH-USD"), source: "alpaca", bid: 3801.2, bidSize: 4.21, ask: 3801.9, askSize: 2.05,
            exchangeTime: Kit.time("2024-03-05T15:42:07.6Z"), receivedAt: Kit.receivedAt)
        #expect(try Kit.alpaca(Self.fixture("stream-crypto-quote")) == [.quote(quote)])
    }

    @Test func otherTypesAreKeptAsUnknown() throws {
        let messages = try Kit.alpaca(Self.fixture("stream-other-types"))
        #expect(messages == ["s", "l", "i", "c", "x", "o"].map { .unknown(type: $0) })
        #expect(messages.allSatisfy { $0.event == nil })
    }

    @Test func aMissingFieldIsNamedWithItsMessage() {
        let quote = #"{"T":"q","S":"AAPL","bp":1,"ap":2,"t":"2024-03-05T15:42:07Z"}"#
        let noAsk = #"{"T":"q","S":"AAPL","bp":1,"t":"2024-03-05T15:42:07Z"}"#
        #expect(Kit.error { _ = try Kit.alpaca("[\(noAsk)]") } == .missingField("ap", message: 0))
        #expect(Kit.error { _ = try Kit.alpaca("[\(quote),\(noAsk)]") } == .missingField("ap", message: 1))
        #expect(
            Kit.error { _ = try Kit.alpaca(#"[{"T":"q","S":"AAPL","bp":1,"ap":null,"t":"2024-03-05T15:42:07Z"}]"#) }
                == .missingField("ap", message: 0))
        #expect(Kit.error { _ = try Kit.alpaca(#"[{"S":"AAPL"}]"#) } == .missingField("T", message: 0))
        #expect(Kit.error { _ = try Kit.alpaca(#"[{"T":"error","msg":"x"}]"#) } == .missingField("code", message: 0))
    }

    @Test func unusableFieldsAreNamed() {
        let cases: [(String, String)] = [
            (#"{"T":"q","S":"AAPL","bp":"1","ap":2,"t":"2024-03-05T15:42:07Z"}"#, "bp"),
            (#"{"T":"q","S":"AAPL","bp":1,"ap":2,"t":"2024-03-05T15:42:07"}"#, "t"),
            (#"{"T":"q","S":"AAPL","bp":1,"ap":2,"t":"9999-12-31T23:59:59Z"}"#, "t"),
            (#"{"T":"q","S":"APPLE INC","bp":1,"ap":2,"t":"2024-03-05T15:42:07Z"}"#, "S"),
            (#"{"T":"q","S":"AAPL","bp":1e400,"ap":2,"t":"2024-03-05T15:42:07Z"}"#, "bp"),
            (#"{"T":"b","S":"SPY","o":1,"h":1,"l":1,"c":1,"v":1,"n":1.5,"t":"2024-03-05T15:41:00Z"}"#, "n"),
            (#"{"T":"subscription","trades":["AAPL",7]}"#, "trades")
        ]
        for (message, field) in cases {
            let error = Kit.error { _ = try Kit.alpaca("[\(message)]") }
            #expect(error?.field == field && error?.message == 0, "\(message): \(String(describing: error))")
        }
    }

    @Test func malformedFramesReportTheByteOffset() {
        let cases: [(String, Int)] = [
            ("", 0), ("[", 1), ("[{\"T\":\"success\",\"msg\":\"x\"}] x", 28), ("[01]", 2), ("[-]", 2), ("[1,]", 3),
            ("[\"abc]", 1), ("[\"a\u{1}\"]", 3), ("[\"\\uD800\"]", 2), ("[\"\\q\"]", 2), ("[tru]", 4), ("[1.]", 3)
        ]
        for (frame, offset) in cases {
            let error = Kit.error { try Self.decodeOnly(frame) }
            guard case .malformed(let at, _) = error else {
                Issue.record("\(frame.debugDescription): \(String(describing: error))")
                continue
            }
            #expect(at == offset, "\(frame.debugDescription): \(String(describing: error))")
        }
    }

    @Test func syntaxIsCheckedBeforeAMessageErrorIsReported() {
        let frame = #"[{"T":"q","S":"AAPL"},{"T":"q",}]"#
        guard case .malformed = Kit.error({ try Self.decodeOnly(frame) }) else {
            Issue.record("a frame with a syntax error must be malformed, whatever its messages lack")
            return
        }
    }

    @Test func otherShapesAreUnexpected() {
        for frame in [#"{"T":"success","msg":"connected"}"#, #"[1]"#, #"[{"T":"success","msg":"x"},[]]"#, "null"] {
            let error = Kit.error { _ = try Kit.alpaca(frame) }
            guard case .unexpectedShape = error else {
                Issue.record("\(frame): \(String(describing: error))")
                continue
            }
        }
    }

    @Test func escapedKeysAndValuesAndDuplicatesReadLikeJSONDecoder() throws {
        let frame = #"[{"\u0054":"\u0071","S":"A\u0041PL","S":"MSFT","bp":1,"ap":2,"\u0074":"2024-03-05T15:42:07\u002E5Z"}]"#
        guard case .quote(let quote) = try Kit.alpaca(frame).first else {
            Issue.record("expected a quote")
            return
        }
        #expect(quote.symbol == (try Symbol("AAPL")))  // the first of duplicated keys wins
        #expect(quote.exchangeTime == Kit.time("2024-03-05T15:42:07.5Z"))
    }

    /// Decodes without the reference comparison (for frames the reference reads leniently).
    static func decodeOnly(_ frame: String) throws(StreamDecodingError) {
        var decoder = AlpacaStreamDecoder(source: "alpaca")
        _ = try decoder.decode(frame, receivedAt: Kit.receivedAt)
    }
}
