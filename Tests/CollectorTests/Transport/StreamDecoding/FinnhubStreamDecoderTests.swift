import Collector
import Testing

@Suite("Finnhub stream decoding")
struct FinnhubStreamDecoderTests {
    typealias Kit = StreamTestKit

    static func fixture(_ name: String) throws -> String { try Fixture.text("finnhub/\(name).json") }

    @Test func tradesInMilliseconds() throws {
        let aapl = try Symbol("AAPL")
        let trades = [
            Trade(
                symbol: aapl, source: "finnhub", price: 170.42, size: 100,
                exchangeTime: Timestamp(milliseconds: 1_709_653_327_318),
                receivedAt: Kit.receivedAt),
            Trade(
                symbol: aapl, source: "finnhub", price: 170.41, size: 5, exchangeTime: Timestamp(milliseconds: 1_709_653_327_320),
                receivedAt: Kit.receivedAt)
        ]
        let message = try Kit.finnhub(Self.fixture("stream-trades"))
        #expect(message == .trades(trades))
        #expect(message.events == trades.map { .trade($0) })
    }

    @Test func priceOnlyCryptoAndFXUpdates() throws {
        let message = try Kit.finnhub(Self.fixture("stream-price-only"))
        let trades = [
            Trade(
                symbol: try Symbol("BTC-USDT"), source: "finnhub", price: 67234.5, size: 0,
                exchangeTime: Timestamp(milliseconds: 1_709_653_327_318), receivedAt: Kit.receivedAt),
            Trade(
                symbol: try Symbol("EURUSD=X"), source: "finnhub", price: 1.0876, size: 0,
                exchangeTime: Timestamp(milliseconds: 1_709_653_327_320), receivedAt: Kit.receivedAt)
        ]
        #expect(message == .trades(trades))
    }

    @Test func pingsErrorsAndOtherTypes() throws {
        #expect(try Kit.finnhub(Self.fixture("stream-ping")) == .ping)
        #expect(try Kit.finnhub(Self.fixture("stream-error")) == .error(message: "Subscribing to too many symbols"))
        #expect(try Kit.finnhub(#"{"type":"news","data":[{"headline":"x"}]}"#) == .unknown(type: "news"))
        #expect(try Kit.finnhub(#"{"type":"trade","data":[]}"#) == .trades([]))
    }

    @Test func problemsNameTheTradeAndField() {
        let ok = #"{"s":"AAPL","p":1,"t":1709653327318}"#
        #expect(
            Kit.error { _ = try Kit.finnhub(#"{"type":"trade","data":[\#(ok),{"s":"AAPL","t":1}]}"#) }
                == .missingField("p", message: 1))
        #expect(Kit.error { _ = try Kit.finnhub(#"{"type":"trade"}"#) } == .missingField("data", message: nil))
        #expect(Kit.error { _ = try Kit.finnhub(#"{"data":[]}"#) } == .missingField("type", message: nil))
        #expect(Kit.error { _ = try Kit.finnhub(#"{"type":"trade","data":{}}"#) }?.field == "data")
        #expect(Kit.error { _ = try Kit.finnhub(#"{"type":"trade","data":[{"s":"DOGE:","p":1,"t":1}]}"#) }?.field == "s")
        guard case .unexpectedShape = Kit.error({ _ = try Kit.finnhub(#"[{"type":"ping"}]"#) }) else {
            Issue.record("an array is not a Finnhub frame")
            return
        }
    }
}
