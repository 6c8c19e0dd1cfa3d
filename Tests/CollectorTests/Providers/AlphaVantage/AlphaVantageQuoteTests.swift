import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = AlphaVantageHarness

@Suite("Alpha Vantage quotes")
struct AlphaVantageQuoteTests {
    @Test func aGlobalQuoteForAPastDayIsStampedWithThatDaysClose() async throws {
        let h = try await H.start(now: "2024-03-06T15:00:00Z") { _ in Fixture.json("alphavantage/global-quote.json") }
        let quotes = try await h.source.latestQuotes(for: [H.symbol("MSFT")])
        await h.stop()
        let quote = try #require(quotes.first)
        #expect(quotes.count == 1)
        #expect(quote.symbol == H.symbol("MSFT"))
        #expect(quote.source == SourceID("av"))
        #expect(quote.last == 402.65)
        // GLOBAL_QUOTE has no book: no bid, ask or sizes are made up from the last price.
        #expect(quote.isLastTrade)
        #expect(quote.bid == nil && quote.ask == nil && quote.bidSize == nil && quote.askSize == nil)
        #expect(quote.spread == nil && quote.mid == nil)
        #expect(quote.previousClose == 414.92)
        #expect(quote.dayVolume == 26_919_227)
        #expect(quote.exchangeTime == H.time("2024-03-05T21:00:00Z"))  // 16:00 EST
        #expect(quote.receivedAt == h.now)
        let request = try #require(h.requests.first)
        #expect(request.path == "/query")
        #expect(request.query("function") == "GLOBAL_QUOTE")
        #expect(request.query("symbol") == "MSFT")
        #expect(request.query("datatype") == "json")
        #expect(request.query("apikey") == H.key)
        #expect(!h.capture.text.contains(H.key))
    }

    @Test func aGlobalQuoteForTodayIsStampedWithTheReceiveTime() async throws {
        let h = try await H.start(now: "2024-03-05T18:00:00Z") { _ in Fixture.json("alphavantage/global-quote.json") }
        let quote = try #require(try await h.source.latestQuotes(for: [H.symbol("MSFT")]).first)
        await h.stop()
        #expect(quote.exchangeTime == H.time("2024-03-05T18:00:00Z"))
        #expect(quote.receivedAt == quote.exchangeTime)
    }

    @Test func aPastSummerDayClosesAt2000UTC() async throws {
        let body = #"{"Global Quote": {"01. symbol": "IBM", "05. price": "175.1000", "07. latest trading day": "2024-07-01"}}"#
        let h = try await H.start(now: "2024-07-02T12:00:00Z") { _ in .json(body) }
        let quote = try #require(try await h.source.latestQuotes(for: [H.symbol("IBM")]).first)
        await h.stop()
        #expect(quote.exchangeTime == H.time("2024-07-01T20:00:00Z"))  // 16:00 EDT
        #expect(quote.previousClose == nil)
        #expect(quote.dayVolume == nil)
    }

    @Test func anEmptyGlobalQuoteIsAnUnknownSymbol() async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/global-quote-empty.json") }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("ZZZZ")]) }
        await h.stop()
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == H.symbol("ZZZZ"))
        #expect(error?.isSymbolSpecific == true)
        #expect(error?.healthState == .degraded)
        #expect(error?.endpoint == "/query (GLOBAL_QUOTE)")
    }

    @Test func aZeroPriceIsAnUnknownSymbolNotAPrice() async throws {
        let body = #"{"Global Quote": {"01. symbol": "ZZZZ", "05. price": "0.0000", "07. latest trading day": "2024-03-05"}}"#
        let h = try await H.start { _ in .json(body) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("ZZZZ")]) }
        await h.stop()
        #expect(error?.kind == .notFound)
    }

    @Test func withSeveralSymbolsAnUnknownOneIsLeftOutAndEachHasItsOwnRequest() async throws {
        let h = try await H.start { request in
            request.query("symbol") == "MSFT"
                ? Fixture.json("alphavantage/global-quote.json") : Fixture.json("alphavantage/global-quote-empty.json")
        }
        let quotes = try await h.source.latestQuotes(for: [H.symbol("ZZZZ"), H.symbol("MSFT")])
        await h.stop()
        #expect(h.source.quoteSymbolsPerRequest == 1)
        #expect(quotes.map(\.symbol) == [H.symbol("MSFT")])
        #expect(h.requests.map { $0.query("symbol") } == ["ZZZZ", "MSFT"])
        #expect(h.capture.text.contains("unknown symbol left out"))
    }

    @Test func aGlobalQuoteWithoutAPriceIsAFormatChangeNamingIt() async throws {
        let body = #"{"Global Quote": {"01. symbol": "IBM", "07. latest trading day": "2024-03-05"}}"#
        let h = try await H.start { _ in .json(body) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("IBM")]) }
        await h.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("05. price") == true)
    }

    @Test func aMissingGlobalQuoteObjectIsAFormatChange() async throws {
        let h = try await H.start { _ in .json(#"{"Something Else": {}}"#) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("IBM")]) }
        await h.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("missing key 'Global Quote'") == true)
    }

    @Test func theSourceDescribesItself() async throws {
        let h = try await H.start { _ in .json("{}") }
        await h.stop()
        #expect(h.source.kind == "alphavantage")
        #expect(h.source.capabilities == [.historyBars, .latestQuotes])
        #expect(h.source.rateLimiter === h.limiter)
        #expect(h.source.id == SourceID("av"))
    }
}
