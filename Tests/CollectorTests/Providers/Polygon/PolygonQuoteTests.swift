import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Synchronization
import Testing

private typealias H = PolygonHarness

@Suite("Polygon quotes")
struct PolygonQuoteTests {
    private static func route(
        nbbo: StubResponse = Fixture.json("polygon/last-nbbo.json"), prev: StubResponse = Fixture.json("polygon/prev.json")
    )
        -> @Sendable (RecordedRequest) -> StubResponse
    {
        { request in
            if request.path.hasPrefix("/v2/last/trade/") { return Fixture.json("polygon/last-trade.json") }
            if request.path.hasPrefix("/v2/last/nbbo/") { return nbbo }
            if request.path.hasSuffix("/prev") { return prev }
            return .json(#"{"status":"NOT_FOUND","message":"no route"}"#, status: 404)
        }
    }

    @Test func aQuoteCombinesTheNBBOAndTheLastTradeWithExactNanosecondTimes() async throws {
        let respond = Self.route()
        let h = try await H.start { respond($0) }
        let quotes = try await h.source.latestQuotes(for: [H.symbol("AAPL")])
        await h.stop()
        let quote = try #require(quotes.first)
        #expect(quote.symbol == H.symbol("AAPL"))
        #expect(quote.source == SourceID("poly"))
        #expect(quote.bid == 170.4)
        #expect(quote.bidSize == 3)
        #expect(quote.ask == 170.43)
        #expect(quote.askSize == 2)
        #expect(quote.last == 170.415)
        #expect(quote.previousClose == 170.12)
        // The earlier of the trade (…318519301 ns) and the NBBO (…402111007 ns): a quote built from
        // parts of different times is as old as its oldest part. Neither survives a Double.
        #expect(quote.exchangeTime == Timestamp(nanoseconds: 1_709_653_327_318_519_301))
        #expect(quote.receivedAt == h.now)
        #expect(h.requests.map(\.path) == ["/v2/last/trade/AAPL", "/v2/last/nbbo/AAPL", "/v2/aggs/ticker/AAPL/prev"])
        #expect(h.requests.allSatisfy { $0.header("Authorization") == "Bearer \(H.key)" })
        #expect(!h.capture.text.contains(H.key))
    }

    /// The last trade's time, as the test moves it.
    final class TradeTime: Sendable {
        let nanoseconds = Atomic<Int64>(1_709_653_327_318_519_301)  // Tuesday 2024-03-05 15:42:07 UTC
    }

    /// The previous close belongs to the session of the quote, as `PreviousCloseRule` (the one rule)
    /// sees it: fetched once per session however many New York days pass, again for a new session.
    @Test func thePreviousCloseIsFetchedOncePerSessionOfTheQuote() async throws {
        let trade = TradeTime()
        let respond = Self.route()
        let h = try await H.start(now: "2024-03-05T16:00:00Z") { request in
            let t = trade.nanoseconds.load(ordering: .acquiring)
            if request.path.hasPrefix("/v2/last/trade/") {
                return .json(#"{"status":"OK","results":{"T":"AAPL","p":170.415,"s":100,"t":\#(t)}}"#)
            }
            if request.path.hasPrefix("/v2/last/nbbo/") {
                return .json(#"{"status":"OK","results":{"T":"AAPL","P":170.43,"S":2,"p":170.4,"s":3,"t":\#(t)}}"#)
            }
            return respond(request)
        }
        let prevs = { h.requests.filter { $0.path.hasSuffix("/prev") }.count }
        _ = try await h.source.latestQuotes(for: [H.symbol("AAPL")])
        h.clock.advance(by: .seconds(3600))
        let second = try await h.source.latestQuotes(for: [H.symbol("AAPL")])
        #expect(h.requests.count == 5)
        #expect(second.first?.previousClose == 170.12)
        // A new New York day, but the last trade is still Tuesday's: the same session, the same close.
        h.clock.advance(by: .seconds(86_400))
        let third = try await h.source.latestQuotes(for: [H.symbol("AAPL")])
        #expect(prevs() == 1)
        #expect(third.first?.previousClose == 170.12)
        // Wednesday's trade and NBBO: a new session, whose previous close is asked for.
        trade.nanoseconds.store(1_709_740_000_000_000_000, ordering: .releasing)
        _ = try await h.source.latestQuotes(for: [H.symbol("AAPL")])
        await h.stop()
        #expect(prevs() == 2)
        #expect(h.requests.last?.query("adjusted") == "true")
    }

    @Test func withoutNBBOEntitlementTheQuoteIsTheLastTradeAloneAndTheNBBOIsNotAskedAgain() async throws {
        let respond = Self.route(nbbo: Fixture.json("polygon/error-403-not-entitled.json", status: 403))
        let h = try await H.start { respond($0) }
        let first = try #require(try await h.source.latestQuotes(for: [H.symbol("AAPL")]).first)
        _ = try await h.source.latestQuotes(for: [H.symbol("AAPL")])
        await h.stop()
        #expect(first.bid == nil && first.ask == nil && first.bidSize == nil && first.isLastTrade)
        #expect(first.last == 170.415)
        #expect(first.exchangeTime == Timestamp(nanoseconds: 1_709_653_327_318_519_301))
        #expect(
            h.requests.map(\.path) == [
                "/v2/last/trade/AAPL", "/v2/last/nbbo/AAPL", "/v2/aggs/ticker/AAPL/prev", "/v2/last/trade/AAPL"
            ])
        #expect(h.capture.all.filter { $0.contains("may not read the last NBBO") }.count == 1)
        #expect(!h.capture.text.contains(H.key))
    }

    @Test func anAllZeroNBBOIsIgnored() async throws {
        let zero = #"{"status":"OK","results":{"P":0,"S":0,"T":"AAPL","p":0,"s":0,"t":1709653327402111007}}"#
        let respond = Self.route(nbbo: .json(zero))
        let h = try await H.start { respond($0) }
        let quote = try #require(try await h.source.latestQuotes(for: [H.symbol("AAPL")]).first)
        await h.stop()
        #expect(quote.bid == nil && quote.ask == nil && quote.last == 170.415)
    }

    @Test func aFailingPreviousCloseLeavesItOut() async throws {
        let respond = Self.route(prev: .json(#"{"status":"ERROR","error":"internal"}"#, status: 500))
        let h = try await H.start { respond($0) }
        let quote = try #require(try await h.source.latestQuotes(for: [H.symbol("AAPL")]).first)
        await h.stop()
        #expect(quote.previousClose == nil)
        #expect(quote.last == 170.415)
        #expect(h.capture.text.contains("previous close unavailable"))
    }

    @Test func anUnknownTickerIsNotFoundForThatSymbol() async throws {
        let h = try await H.start { _ in Fixture.json("polygon/error-404.json", status: 404) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("ZZZZ")]) }
        await h.stop()
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == H.symbol("ZZZZ"))
        #expect(error?.isSymbolSpecific == true)
        #expect(error?.endpoint == "/v2/last/trade/ZZZZ")
        #expect(error?.message.contains("Data not found") == true)
        #expect(h.requests.count == 1)
    }

    @Test func aLastTradeWithoutResultsIsNotFound() async throws {
        let h = try await H.start { _ in .json(#"{"status":"OK","request_id":"x"}"#) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("ZZZZ")]) }
        await h.stop()
        #expect(error?.kind == .notFound)
        #expect(h.requests.count == 1)
    }

    @Test func withSeveralSymbolsAnUnknownOneIsLeftOut() async throws {
        let respond = Self.route()
        let h = try await H.start { request in
            request.path.contains("ZZZZ") ? Fixture.json("polygon/error-404.json", status: 404) : respond(request)
        }
        let quotes = try await h.source.latestQuotes(for: [H.symbol("ZZZZ"), H.symbol("AAPL")])
        await h.stop()
        #expect(quotes.map(\.symbol) == [H.symbol("AAPL")])
    }

    @Test func nonEquitySymbolsHaveNoLastTradeHereAndCostNoRequest() async throws {
        let h = try await H.start { _ in .json("{}") }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("BTC-USD")]) }
        await h.stop()
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == H.symbol("BTC-USD"))
        #expect(h.requests.isEmpty)
    }

    @Test func aWrongTypeInTheLastTradeIsAFormatChange() async throws {
        let h = try await H.start { _ in .json(#"{"status":"OK","results":{"p":170.4,"t":"1709653327318519301"}}"#) }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("AAPL")]) }
        await h.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("expected a number at results.t") == true)
    }
}
