import Foundation
import Testing

@testable import Collector

@Suite("Alpaca mapping and request details")
struct AlpacaMappingTests {
    typealias Kit = AlpacaTestKit

    @Test(arguments: [
        // Winter, summer, both sides of the March change (2024-03-10) and the November change (2024-11-03).
        ("2024-01-02T05:00:00Z", 2024, 1, 2),
        ("2024-07-01T04:00:00Z", 2024, 7, 1),
        ("2024-03-08T05:00:00Z", 2024, 3, 8),
        ("2024-03-10T05:00:00Z", 2024, 3, 10),
        ("2024-03-11T04:00:00Z", 2024, 3, 11),
        ("2024-11-01T04:00:00Z", 2024, 11, 1),
        ("2024-11-03T04:00:00Z", 2024, 11, 3),
        ("2024-11-04T05:00:00Z", 2024, 11, 4),
        ("2024-03-10T00:00:00Z", 2024, 3, 10)
    ])
    func dailyStampsBecomeTheirNewYorkDate(stamp: String, year: Int, month: Int, day: Int) {
        for timeframe in [Timeframe.oneDay, .oneWeek, .oneMonth] {
            #expect(AlpacaMapping.barStart(Kit.time(stamp), timeframe: timeframe) == Kit.utc(year, month, day))
        }
    }

    @Test func intradayStampsAreKeptExactly() {
        let stamp = Kit.time("2024-03-11T04:00:00Z")
        for timeframe in [Timeframe.oneMinute, .fiveMinutes, .fifteenMinutes, .thirtyMinutes, .oneHour, .fourHours] {
            #expect(AlpacaMapping.barStart(stamp, timeframe: timeframe) == stamp)
        }
    }

    @Test func theRequestWindowIsWholeSecondsCoveringTheRange() {
        let range = Kit.time("2024-03-05T14:30:00.75Z")...Kit.time("2024-03-05T15:00:00.000000001Z")
        let intraday = AlpacaSource.requestWindow(for: .oneMinute, range: range)
        #expect(intraday.lowerBound == Kit.time("2024-03-05T14:30:00Z"))
        #expect(intraday.upperBound == Kit.time("2024-03-05T15:00:01Z"))
        let exact = AlpacaSource.requestWindow(for: .oneHour, range: Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        #expect(exact == Kit.utc(2024, 3, 5)...Kit.utc(2024, 3, 6))
        let daily = AlpacaSource.requestWindow(for: .oneWeek, range: Kit.utc(2024, 3, 4)...Kit.utc(2024, 3, 11))
        #expect(daily == Kit.utc(2024, 3, 4)...Kit.utc(2024, 3, 12))
    }

    @Test func symbolsAreSpelledTheAlpacaWay() {
        #expect(AlpacaMarket.spelling(of: Kit.symbol("BTC-USD")) == "BTC/USD")
        #expect(AlpacaMarket.spelling(of: Kit.symbol("eth/usdt")) == "ETH/USDT")
        #expect(AlpacaMarket.spelling(of: Kit.symbol("BRK-B")) == "BRK.B")
        #expect(AlpacaMarket(Kit.symbol("BTC-USD")) == .crypto)
        #expect(AlpacaMarket(Kit.symbol("AAPL")) == .stocks)
        #expect(AlpacaMarket(Kit.symbol("^GSPC")) == nil)
        #expect(AlpacaMarket(Kit.symbol("EURUSD=X")) == nil)
        #expect(AlpacaMarket.stockBarsPath(for: Kit.symbol("BRK.B")) == "/v2/stocks/BRK.B/bars")
    }

    @Test func queriesArePercentEncodedLikeAlpacasSDK() {
        #expect(AlpacaQuery.escape("BTC/USD,ETH/USD") == "BTC%2FUSD%2CETH%2FUSD")
        #expect(AlpacaQuery.escape("2024-03-05T14:30:00Z") == "2024-03-05T14%3A30%3A00Z")
        #expect(AlpacaQuery.escape("QUFQ+x/y==") == "QUFQ%2Bx%2Fy%3D%3D")
        #expect(AlpacaQuery.encode([("symbols", "A,B"), ("feed", "iex")]) == "symbols=A%2CB&feed=iex")
    }

    @Test(
        arguments: [
            ("the request was rejected: invalid symbol: ACP.PA", "ACP.PA"),
            ("the request was rejected: invalid symbols: btc/usd", "BTC/USD"),
            ("Invalid Symbol: SPY, try again", "SPY"),
            ("the request was rejected: invalid timeframe", nil),
            ("the request was rejected: invalid symbol", nil)
        ] as [(String, String?)])
    func invalidSymbolMessagesNameTheSymbol(message: String, named: String?) {
        #expect(AlpacaSource.invalidSymbol(in: message) == named)
    }

    @Test func aSnapshotWithoutQuoteOrTradeHasNoQuote() {
        let snapshot = AlpacaSnapshot(symbol: Kit.symbol("AAPL"))
        #expect(snapshot.quote == nil)
    }
}
