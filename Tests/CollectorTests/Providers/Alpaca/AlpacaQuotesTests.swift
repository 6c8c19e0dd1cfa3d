import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

@Suite("Alpaca latest quotes, snapshots and trades")
struct AlpacaQuotesTests {
    typealias Kit = AlpacaTestKit

    @Test func latestQuotesComeFromOneSnapshotRequest() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/snapshots-stocks.json") }
        let clock = ManualClock()
        let symbols = ["MSFT", "AAPL", "ZZZZ", "NEWL", "^GSPC", "AAPL"].map(Kit.symbol)
        let quotes = try await Kit.source(server, clock: clock).latestQuotes(for: symbols)
        await server.stop()

        // In the order asked; the all-zero ZZZZ (unknown) and the index are left out.
        #expect(quotes.map(\.symbol) == ["MSFT", "AAPL", "NEWL"].map(Kit.symbol))
        let aapl = try #require(quotes.first { $0.symbol == Kit.symbol("AAPL") })
        #expect(aapl.source == SourceID("alpaca"))
        #expect(aapl.bid == 170.4 && aapl.bidSize == 3)
        #expect(aapl.ask == 170.43 && aapl.askSize == 2)
        #expect(aapl.last == 170.415)
        // Quote at …327.402111, trade at …327.318519296: a quote built from both is as old as the older part.
        #expect(aapl.exchangeTime == Timestamp(nanoseconds: 1_709_653_327_318_519_296))
        #expect(aapl.receivedAt == clock.now())
        #expect(aapl.previousClose == 175.1)
        #expect(aapl.dayVolume == 1_632_209)

        let msft = try #require(quotes.first)
        #expect(msft.previousClose == nil)
        #expect(msft.dayVolume == 426_919)
        #expect(msft.exchangeTime == Kit.time("2024-03-05T15:42:06.91Z"), "the trade is older than the quote")

        // A one-sided quote is no price: the last trade stands in, with no bid or ask made up.
        let newl = try #require(quotes.last)
        #expect(newl.bid == nil && newl.ask == nil && newl.last == 12.34 && newl.isLastTrade)
        #expect(newl.bidSize == nil && newl.askSize == nil)
        #expect(newl.exchangeTime == Kit.time("2024-03-05T15:40:00.5Z"))

        #expect(server.requests.count == 1)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v2/stocks/snapshots")
        #expect(request.query("symbols") == "MSFT,AAPL,ZZZZ,NEWL")
        #expect(request.query("feed") == "iex")
        #expect(request.header("APCA-API-KEY-ID") == Kit.key)
        #expect(request.header("APCA-API-SECRET-KEY") == Kit.secret)
    }

    @Test func snapshotsMapEveryPart() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/snapshots-stocks.json") }
        let snapshots = try await Kit.source(server, feed: "sip").snapshots(for: ["AAPL", "MSFT", "ZZZZ"].map(Kit.symbol))
        await server.stop()
        #expect(server.requests.first?.query("feed") == "sip")

        let aapl = try #require(snapshots[Kit.symbol("AAPL")])
        let trade = try #require(aapl.latestTrade)
        #expect(trade.price == 170.415 && trade.size == 100 && trade.tradeID == "11532")
        #expect(trade.exchangeTime == Timestamp(nanoseconds: 1_709_653_327_318_519_296))
        #expect(aapl.latestQuote?.last == nil)
        #expect(aapl.minuteBar?.start == Kit.time("2024-03-05T15:41:00Z"))
        #expect(aapl.minuteBar?.timeframe == .oneMinute)
        #expect(aapl.minuteBar?.volume == 8123)
        #expect(aapl.dailyBar?.start == Kit.utc(2024, 3, 5))
        #expect(aapl.dailyBar?.timeframe == .oneDay)
        #expect(aapl.previousDailyBar?.start == Kit.utc(2024, 3, 4))
        #expect(aapl.previousDailyBar?.close == 175.1)

        let msft = try #require(snapshots[Kit.symbol("MSFT")])
        #expect(msft.minuteBar == nil && msft.previousDailyBar == nil)
        #expect(msft.latestTrade?.tradeID == "52983525029461")

        // A snapshot of zeros is kept as a snapshot but has nothing to show.
        let zero = try #require(snapshots[Kit.symbol("ZZZZ")])
        #expect(zero.latestTrade == nil && zero.latestQuote == nil && zero.quote == nil)
    }

    @Test func cryptoQuotesComeFromTheWrappedCryptoSnapshots() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/snapshots-crypto.json") }
        let quotes = try await Kit.source(server).latestQuotes(for: [Kit.symbol("BTC-USD"), Kit.symbol("ETH/USD")])
        await server.stop()
        #expect(quotes.map(\.symbol) == [Kit.symbol("BTC-USD"), Kit.symbol("ETH-USD")])
        let btc = quotes[0]
        #expect(btc.bid == 67230.12 && btc.bidSize == 1.65666998)
        #expect(btc.ask == 67240.88 && btc.askSize == 0.00209349)
        #expect(btc.last == 67234.5)
        #expect(btc.previousClose == 68100.1)
        #expect(btc.dayVolume == 8720.15520728)
        #expect(btc.exchangeTime == Kit.time("2024-03-05T15:42:07.511823Z"), "as old as its older part, the trade")
        #expect(quotes[1].dayVolume == 112120.6572392)

        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.path == "/v1beta3/crypto/us/snapshots")
        #expect(request.query("symbols") == "BTC/USD,ETH/USD")
        #expect(request.query?.contains("symbols=BTC%2FUSD%2CETH%2FUSD") == true)
        #expect(request.query("feed") == nil)
    }

    @Test func aMixedWatchlistCostsOneRequestPerMarket() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path.hasPrefix("/v1beta3")
                ? Fixture.json("alpaca/snapshots-crypto.json") : Fixture.json("alpaca/snapshots-stocks.json")
        }
        let quotes = try await Kit.source(server).latestQuotes(for: ["BTC-USD", "AAPL", "EURUSD=X"].map(Kit.symbol))
        await server.stop()
        #expect(quotes.map(\.symbol) == [Kit.symbol("BTC-USD"), Kit.symbol("AAPL")])
        #expect(server.requests.map(\.path) == ["/v2/stocks/snapshots", "/v1beta3/crypto/us/snapshots"])
        #expect(server.requests.map { $0.query("symbols") } == ["AAPL", "BTC/USD"])
    }

    @Test func anEmptyAnswerMeansNoQuotes() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json("{}") }
        let quotes = try await Kit.source(server).latestQuotes(for: [Kit.symbol("NOPE")])
        await server.stop()
        #expect(quotes.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test func onlyIndicesAndFXMeansNoRequest() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json("{}") }
        let quotes = try await Kit.source(server).latestQuotes(for: [Kit.symbol("^GSPC"), Kit.symbol("EURUSD=X")])
        await server.stop()
        #expect(quotes.isEmpty)
        #expect(server.requests.isEmpty)
    }

    @Test func aWatchlistLargerThanOneRequestIsSplit() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json("{}") }
        let symbols = (0..<150).map { Kit.symbol("S\($0)") }
        _ = try await Kit.source(server).latestQuotes(for: symbols)
        await server.stop()
        let counts = server.requests.map { $0.query("symbols")?.split(separator: ",").count }
        #expect(counts == [100, 50])
    }

    @Test func anInvalidSymbolIsDroppedAndTheOthersStillQuoted() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.query("symbols")?.contains("ACP.PA") == true
                ? Fixture.json("alpaca/error-422-invalid-symbol.json", status: 422)
                : Fixture.json("alpaca/snapshots-stocks.json")
        }
        let capture = LogCapture()
        let quotes = try await Kit.source(server, capture: capture).latestQuotes(
            for: ["AAPL", "ACP.PA"].map(Kit.symbol))
        await server.stop()
        #expect(quotes.map(\.symbol) == [Kit.symbol("AAPL")])
        #expect(server.requests.map { $0.query("symbols") } == ["AAPL,ACP.PA", "AAPL"])
        #expect(capture.text.contains("ACP.PA"))
    }

    @Test func aFailingMarketCostsOnlyItsOwnSymbols() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/v2/stocks/snapshots"
                ? Fixture.json("alpaca/snapshots-stocks.json") : Fixture.json("alpaca/error-404.json", status: 404)
        }
        let source = Kit.source(server)
        let symbols = ["AAPL", "BTC-USD"].map(Kit.symbol)
        // The stock snapshot of the same call is kept, not discarded with the crypto failure.
        let partial = await #expect(throws: PartialAnswer<[Quote]>.self) { try await source.latestQuotes(for: symbols) }
        #expect(partial?.values.map(\.symbol) == [Kit.symbol("AAPL")])
        let failure = try #require(partial?.failures.first as? ProviderError)
        #expect(failure.endpoint == "/v1beta3/crypto/us/snapshots" && failure.status == 404)
        #expect(source.part(of: symbols[0]) == "stocks" && source.part(of: symbols[1]) == "crypto")
        // When every market fails, the failure itself.
        await #expect(throws: ProviderError.self) { try await source.latestQuotes(for: [Kit.symbol("BTC-USD")]) }
        await server.stop()
    }

    @Test func latestTradesParseEveryFractionLengthExactly() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/latest-trades.json") }
        let clock = ManualClock()
        let symbols = ["AAPL", "MSFT", "TSLA", "AMD", "NVDA", "SPY", "QQQ", "GONE"].map(Kit.symbol)
        let trades = try await Kit.source(server, clock: clock).latestTrades(for: symbols)
        await server.stop()
        let base: Int64 = 1_709_653_327_000_000_000  // 2024-03-05T15:42:07Z
        #expect(trades.map(\.symbol) == Array(symbols.dropLast()))
        #expect(
            trades.map(\.exchangeTime.nanoseconds) == [
                base, base + 500_000_000, base + 910_000_000, base + 123_000_000, base + 402_111_000,
                base + 318_519_200, base + 318_519_296
            ])
        #expect(trades[1].tradeID == "52983525029461")
        #expect(trades[0].price == 170.41 && trades[0].size == 100)
        #expect(trades.allSatisfy { $0.receivedAt == clock.now() && $0.source == "alpaca" })
        let request = try #require(server.requests.first)
        #expect(request.path == "/v2/stocks/trades/latest")
        #expect(request.query("feed") == "iex")
    }

    @Test func cryptoLatestTradesHaveFractionalSizes() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("alpaca/crypto-latest-trades.json") }
        let trades = try await Kit.source(server).latestTrades(for: [Kit.symbol("BTC-USD")])
        await server.stop()
        #expect(trades.first?.size == 0.01542)
        #expect(trades.first?.exchangeTime == Timestamp(nanoseconds: 1_709_653_327_511_823_000))
        #expect(server.requests.first?.path == "/v1beta3/crypto/us/latest/trades")
        #expect(server.requests.first?.query("symbols") == "BTC/USD")
    }
}
