import Collector
import Testing

@Suite("Polygon stream decoding")
struct PolygonStreamDecoderTests {
    typealias Kit = StreamTestKit

    static func fixture(_ name: String) throws -> String { try Fixture.text("polygon/\(name).json") }

    @Test(arguments: [
        ("stream-connected", "connected", "Connected Successfully"),
        ("stream-auth-success", "auth_success", "authenticated"),
        ("stream-subscribed", "success", "subscribed to: T.AAPL"),
        ("stream-auth-failed", "auth_failed", "authentication failed"),
        (
            "stream-max-connections", "max_connections",
            "Maximum number of websocket connections exceeded. You have reached the connection limit for your account."
        )
    ])
    func statusMessages(fixture: String, status: String, message: String) throws {
        #expect(try Kit.polygon(Self.fixture(fixture)) == [.status(status: status, message: message)])
    }

    @Test func tradesAndQuotesInMilliseconds() throws {
        let aapl = try Symbol("AAPL")
        let trade = Trade(
            symbol: aapl, source: "polygon", price: 170.42, size: 100, exchangeTime: Timestamp(milliseconds: 1_709_653_327_318),
            receivedAt: Kit.receivedAt, tradeID: "52983")
        let quote = Quote(
            symbol: aapl, source: "polygon", bid: 170.4, bidSize: 3, ask: 170.43, askSize: 2,
            exchangeTime: Timestamp(milliseconds: 1_709_653_327_402), receivedAt: Kit.receivedAt)
        let messages = try Kit.polygon(Self.fixture("stream-trade-quote"))
        #expect(messages == [.trade(trade), .quote(quote)])
        #expect(messages.compactMap(\.event) == [.trade(trade), .quote(quote)])
    }

    @Test func minuteAggregatesAreBarsAndSecondOnesAreKeptAsUnknown() throws {
        let bar = Bar(
            symbol: try Symbol("AAPL"), source: "polygon", timeframe: .oneMinute,
            start: Timestamp(milliseconds: 1_709_653_260_000),
            open: 170.38, high: 170.45, low: 170.33, close: 170.41, volume: 81230, vwap: 170.3977)
        #expect(try Kit.polygon(Self.fixture("stream-minute-aggregate")) == [.bar(bar)])
        #expect(try Kit.polygon(Self.fixture("stream-second-aggregate")) == [.unknown(event: "A")])
    }

    @Test(arguments: [
        ("AAPL", "AAPL"), ("BRK.B", "BRK.B"), ("X:BTCUSD", "BTC-USD"), ("X:ETHUSDT", "ETH-USDT"), ("C:EURUSD", "EURUSD=X"),
        ("I:SPX", "^SPX"), ("x:btcusd", "BTC-USD")
    ])
    func tickersBecomeSymbols(ticker: String, symbol: String) throws {
        #expect(try PolygonStreamDecoder.symbol(ticker: ticker) == Symbol(symbol))
    }

    @Test func problemsNameTheFieldAndMessage() {
        let ok = #"{"ev":"T","sym":"AAPL","p":1,"t":1709653327318}"#
        #expect(Kit.error { _ = try Kit.polygon(#"[\#(ok),{"ev":"T","sym":"AAPL","p":1}]"#) } == .missingField("t", message: 1))
        #expect(Kit.error { _ = try Kit.polygon(#"[{"ev":"Q","sym":"X:BTC","bp":1,"ap":2,"t":1}]"#) }?.field == "sym")
        #expect(Kit.error { _ = try Kit.polygon(#"[{"ev":"T","sym":"AAPL","p":1,"t":9300000000000}]"#) }?.field == "t")
        #expect(Kit.error { _ = try Kit.polygon(#"[{"ev":"T","sym":"AAPL","p":1,"t":1.5}]"#) }?.field == "t")
        #expect(Kit.error { _ = try Kit.polygon(#"[{"ev":"T","sym":"AAPL","p":1,"t":1,"i":52983}]"#) }?.field == "i")
    }
}
