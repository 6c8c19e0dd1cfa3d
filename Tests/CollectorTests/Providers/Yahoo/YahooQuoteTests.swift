import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@Suite("Yahoo quotes and the cookie + crumb session")
struct YahooQuoteTests {
    typealias Kit = YahooTestKit
    let symbols = ["AAPL", "BRK.B", "^GSPC", "ZZZZQ"].map { YahooTestKit.symbol($0) }

    @Test func theFirstPollGetsACookieThenACrumbAndTheNextReusesThem() async throws {
        let fake = FakeYahoo()
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let source = Kit.source(server)
        _ = try await source.latestQuotes(for: symbols)
        _ = try await source.latestQuotes(for: symbols)
        await server.stop()

        let requests = server.requests
        #expect(requests.map(\.path) == ["/", "/v1/test/getcrumb", "/v7/finance/quote", "/v7/finance/quote"])
        let cookie = "A3=d=\(FakeYahoo.cookie(1)); A1=d=\(FakeYahoo.cookie(1))"
        #expect(requests[0].header("Cookie") == nil)
        #expect(requests[1].header("Cookie") == cookie)
        #expect(requests[2].header("Cookie") == cookie && requests[3].header("Cookie") == cookie)
        #expect(requests[2].query("crumb") == FakeYahoo.crumb(1) && requests[3].query("crumb") == FakeYahoo.crumb(1))
        #expect(requests[2].query("symbols") == "AAPL,BRK-B,^GSPC,ZZZZQ")
        #expect(requests[2].query("formatted") == "false")
        #expect(requests.allSatisfy { $0.header("User-Agent") == YahooSource.userAgent })
    }

    @Test func quotesAreMappedAndUnknownSymbolsAreAbsent() async throws {
        let fake = FakeYahoo()
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let clock = ManualClock()
        let quotes = try await Kit.source(server, clock: clock).latestQuotes(for: symbols)
        await server.stop()

        #expect(quotes.map(\.symbol) == ["AAPL", "BRK.B", "^GSPC"].map { Kit.symbol($0) })
        let apple = quotes[0]
        #expect(apple.bid == 170.1 && apple.ask == 170.14 && apple.bidSize == 3 && apple.askSize == 2)
        #expect(apple.last == 170.12 && apple.price == 170.12)
        #expect(apple.exchangeTime == Timestamp(seconds: 1_709_672_401))
        #expect(apple.receivedAt == clock.now())
        #expect(apple.previousClose == 175.1 && apple.dayVolume == 95_132_355)
        #expect(apple.source == SourceID("yahoo"))
        // Zero bid and ask: a last-price quote, never a price of 0.
        let berkshire = quotes[1]
        #expect(berkshire.bid == nil && berkshire.ask == nil && berkshire.bidSize == nil && berkshire.last == 409.5)
        #expect(berkshire.isLastTrade)
        #expect(berkshire.previousClose == 410.25 && berkshire.dayVolume == 3_400_123)
        // No bid or ask at all (an index).
        let index = quotes[2]
        #expect(index.price == 5078.65 && index.bid == nil && index.exchangeTime == Timestamp(seconds: 1_709_672_399))
    }

    @Test func formattedNumbersAreReadToo() async throws {
        let fake = FakeYahoo()
        fake.quotes(from: "yahoo/quote-formatted.json")
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let quotes = try await Kit.source(server).latestQuotes(for: [Kit.symbol("AAPL")])
        await server.stop()
        #expect(quotes.count == 1)
        #expect(quotes.first?.bid == 170.1 && quotes.first?.last == 170.12 && quotes.first?.dayVolume == 95_132_355)
        #expect(quotes.first?.exchangeTime == Timestamp(seconds: 1_709_672_401))
    }

    @Test func aCrossedOrPricelessEntryIsNotInvented() async throws {
        let body = #"""
            {"quoteResponse":{"result":[
              {"symbol":"AAPL","regularMarketPrice":170.12,"regularMarketTime":1709672401,"bid":170.5,"ask":170.1},
              {"symbol":"MSFT","regularMarketTime":1709672401},
              {"symbol":"NVDA","regularMarketPrice":0,"regularMarketTime":1709672401},
              {"symbol":"OTHER","regularMarketPrice":5,"regularMarketTime":1709672401}],"error":null}}
            """#
        let fake = FakeYahoo()
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/v7/finance/quote" && fake.respond(request).status == 200 ? .json(body) : fake.respond(request)
        }
        let quotes = try await Kit.source(server).latestQuotes(for: ["AAPL", "MSFT", "NVDA"].map { Kit.symbol($0) })
        await server.stop()
        #expect(quotes.map(\.symbol) == [Kit.symbol("AAPL")])
        #expect(quotes.first?.bid == nil && quotes.first?.ask == nil && quotes.first?.last == 170.12)
    }

    @Test func a401FetchesANewSessionOnceAndRetriesOnce() async throws {
        let fake = FakeYahoo()
        fake.accept(only: [2])
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let capture = LogCapture()
        let quotes = try await Kit.source(server, capture: capture).latestQuotes(for: symbols)
        await server.stop()

        #expect(quotes.count == 3)
        let requests = server.requests
        #expect(
            requests.map(\.path) == ["/", "/v1/test/getcrumb", "/v7/finance/quote", "/", "/v1/test/getcrumb", "/v7/finance/quote"]
        )
        #expect(requests[2].query("crumb") == FakeYahoo.crumb(1))
        #expect(requests[5].query("crumb") == FakeYahoo.crumb(2))
        #expect(requests[5].header("Cookie")?.contains(FakeYahoo.cookie(2)) == true)
        #expect(capture.text.contains("fetching a new cookie and crumb"))
    }

    @Test func aSecond401IsAnErrorThatShowsNoCrumbOrCookie() async throws {
        let fake = FakeYahoo()
        fake.accept(only: [])
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let capture = LogCapture()
        let source = Kit.source(server, capture: capture)
        let error = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        await server.stop()

        #expect(server.requests.count == 6)
        let e = try #require(error)
        #expect(e.kind == .unauthorized)
        #expect(e.status == 401)
        #expect(e.healthState == .down)
        #expect(e.endpoint == "/v7/finance/quote")
        #expect(e.message.contains("the session cookie and crumb were refused: Invalid Crumb *** with ***"))
        let text = String(describing: e)
        for secret in [FakeYahoo.crumb(1), FakeYahoo.crumb(2), FakeYahoo.cookie(1), FakeYahoo.cookie(2)] {
            #expect(!text.contains(secret))
            #expect(!capture.text.contains(secret))
        }
        #expect(capture.text.contains("crumb=***"))
    }

    @Test func theQuoteResponseEnvelopeOfA401IsReadToo() async throws {
        let fake = FakeYahoo()
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/v7/finance/quote"
                ? Fixture.json("yahoo/quote-invalid-crumb-quoteResponse.json", status: 401) : fake.respond(request)
        }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server).latestQuotes(for: [Kit.symbol("AAPL")])
        }
        await server.stop()
        #expect(error?.kind == .unauthorized)
        #expect(error?.message.contains("Invalid Crumb. For Developers") == true)
        #expect(server.requests.filter { $0.path == "/v7/finance/quote" }.count == 2)
    }

    @Test func anUnauthorizedErrorInsideA200AlsoRefreshesTheSession() async throws {
        let fake = FakeYahoo()
        let answered = YahooCallCounter()
        let server = try await LoopbackHTTPServer.start { request in
            guard request.path == "/v7/finance/quote", answered.next() == 0 else { return fake.respond(request) }
            return .json(#"{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb"}}}"#)
        }
        let quotes = try await Kit.source(server).latestQuotes(for: [Kit.symbol("AAPL")])
        await server.stop()
        #expect(quotes.count == 1)
        #expect(server.requests.filter { $0.path == "/" }.count == 2)
    }

    @Test func concurrentPollsShareOneSessionFetch() async throws {
        let fake = FakeYahoo()
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let source = Kit.source(server)
        let symbols = self.symbols
        async let a = source.latestQuotes(for: symbols)
        async let b = source.latestQuotes(for: symbols)
        let (first, second) = try await (a, b)
        await server.stop()
        #expect(first.count == 3 && second.count == 3)
        #expect(server.requests.filter { $0.path == "/" }.count == 1)
        #expect(server.requests.filter { $0.path == "/v1/test/getcrumb" }.count == 1)
    }

    @Test func aThrottledCrumbRequestIsRateLimited() async throws {
        let fake = FakeYahoo()
        fake.crumbAnswer(.text("Too Many Requests", status: 429))
        let clock = ManualClock()
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let source = Kit.source(server, clock: clock)
        let error = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        await server.stop()
        #expect(error?.kind == .rateLimited(retryAfter: nil))
        #expect(error?.endpoint == "/v1/test/getcrumb")
        #expect(await source.client.limiter.status().pausedUntil == clock.now() + .seconds(60))
        #expect(!server.requests.contains { $0.path == "/v7/finance/quote" })
    }

    @Test func anEmptyCrumbIsRefusedAndNothingIsCached() async throws {
        let fake = FakeYahoo()
        fake.crumbAnswer(.text("", status: 200))
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let source = Kit.source(server)
        let error = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        fake.crumbAnswer(.text("  \(FakeYahoo.crumb(2))\n", status: 200))
        let quotes = try await source.latestQuotes(for: symbols)
        await server.stop()
        #expect(error?.kind == .unauthorized)
        #expect(error?.message.contains("empty crumb") == true)
        #expect(quotes.count == 3)
        #expect(server.requests.filter { $0.path == "/" }.count == 2)
    }

    @Test func anHTMLCrumbPageIsAFormatChange() async throws {
        let fake = FakeYahoo()
        fake.crumbAnswer(.html(status: 200, title: "Consent"))
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let error = await #expect(throws: ProviderError.self) { _ = try await Kit.source(server).latestQuotes(for: symbols) }
        await server.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("HTML") == true)
    }

    @Test func aQuoteOutageOrTimeoutIsReportedWithoutTheCrumb() async throws {
        let fake = FakeYahoo()
        let hang = YahooCallCounter()
        let server = try await LoopbackHTTPServer.start { request in
            guard request.path == "/v7/finance/quote" else { return fake.respond(request) }
            return hang.next() == 0 ? .html(status: 502, title: "Bad Gateway") : .hang
        }
        let capture = LogCapture()
        let source = Kit.source(server, capture: capture, timeout: .seconds(2))  // generous: the cookie and crumb come first
        let outage = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        let timeout = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        await server.stop()
        #expect(outage?.kind == .serverError)
        #expect(timeout?.kind == .timeout)
        #expect(!String(describing: outage).contains(FakeYahoo.crumb(1)))
        #expect(!String(describing: timeout).contains(FakeYahoo.crumb(1)))
        #expect(!capture.text.contains(FakeYahoo.crumb(1)))
    }

    @Test func truncatedOrMistypedQuotesAreAFormatChange() async throws {
        let fake = FakeYahoo()
        let answers = YahooCallCounter()
        let server = try await LoopbackHTTPServer.start { request in
            guard request.path == "/v7/finance/quote" else { return fake.respond(request) }
            return answers.next() == 0
                ? .json(#"{"quoteResponse":{"result":[{"symbol":"AAPL","regularMarketPrice":170."#)
                : .json(#"{"quoteResponse":{"result":[{"symbol":"AAPL","regularMarketPrice":"170.12"}],"error":null}}"#)
        }
        let source = Kit.source(server)
        let cut = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        let mistyped = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: symbols) }
        await server.stop()
        #expect(cut?.kind == .formatChanged)
        #expect(mistyped?.kind == .formatChanged)
        #expect(mistyped?.message.contains("expected a number at quoteResponse.result[0].regularMarketPrice") == true)
    }

    @Test func noQuotesForNoSymbolsAndNoRequest() async throws {
        let fake = FakeYahoo()
        fake.quotes(from: "yahoo/quote-empty.json")
        let server = try await LoopbackHTTPServer.start { fake.respond($0) }
        let source = Kit.source(server)
        let none = try await source.latestQuotes(for: [])
        let unknown = try await source.latestQuotes(for: [Kit.symbol("ZZZZQ")])
        await server.stop()
        #expect(none.isEmpty && unknown.isEmpty)
        #expect(server.requests.count == 3)
    }
}
