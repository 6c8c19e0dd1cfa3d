import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@Suite("Finnhub quotes")
struct FinnhubQuoteTests {
    typealias Kit = FinnhubTestKit

    @Test func aQuoteIsMappedAndTheKeyTravelsInTheHeaderOnly() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/quote-aapl.json") }
        let clock = ManualClock()
        let capture = LogCapture()
        let source = Kit.source(server, capture: capture, clock: clock)
        let quotes = try await source.latestQuotes(for: [Kit.symbol("AAPL")])
        await server.stop()

        let quote = try #require(quotes.first)
        #expect(quotes.count == 1)
        #expect(quote.symbol == Kit.symbol("AAPL") && quote.source == SourceID("finnhub"))
        // `/quote` has no book: a last trade, with no bid, ask or sizes made up.
        #expect(quote.last == 170.12 && quote.isLastTrade)
        #expect(quote.bid == nil && quote.ask == nil && quote.bidSize == nil && quote.askSize == nil)
        #expect(quote.exchangeTime == Timestamp(seconds: 1_709_672_401))
        #expect(quote.receivedAt == clock.now())
        #expect(quote.previousClose == 175.1)
        #expect(quote.dayVolume == nil)

        let request = try #require(server.requests.first)
        #expect(request.path == "/api/v1/quote")
        #expect(request.query("symbol") == "AAPL")
        #expect(request.header("X-Finnhub-Token") == Kit.key)
        #expect(request.query("token") == nil)
        #expect(request.query ?? "" == "symbol=AAPL")
        #expect(!capture.text.contains(Kit.key))
        #expect(source.quoteSymbolsPerRequest == 1)
        #expect(source.capabilities == [.historyBars, .latestQuotes])
        #expect(source.rateLimiter === source.client.limiter)
    }

    @Test func anAllZeroQuoteIsAnUnknownSymbolNeverAPriceOfZero() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/quote-unknown.json") }
        let source = Kit.source(server)
        let error = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: [Kit.symbol("ZZZZQ")]) }
        await server.stop()
        let e = try #require(error)
        #expect(e.kind == .notFound)
        #expect(e.symbol == Kit.symbol("ZZZZQ"))
        #expect(e.isSymbolSpecific)
        #expect(e.healthState == .degraded)
        #expect(e.endpoint == "/quote")
        #expect(e.message.contains("all-zero"))
    }

    @Test func amongSeveralSymbolsUnknownOnesAreLeftOut() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            request.query("symbol") == "AAPL"
                ? Fixture.json("finnhub/quote-aapl.json") : Fixture.json("finnhub/quote-unknown.json")
        }
        let quotes = try await Kit.source(server).latestQuotes(for: [Kit.symbol("ZZZZQ"), Kit.symbol("AAPL")])
        await server.stop()
        #expect(quotes.map(\.symbol) == [Kit.symbol("AAPL")])
        #expect(server.requests.map { $0.query("symbol") } == ["ZZZZQ", "AAPL"])
    }

    @Test func shareClassesKeepTheirDot() async throws {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json("finnhub/quote-aapl.json") }
        _ = try await Kit.source(server).latestQuotes(for: [Kit.symbol("BRK-B")])
        await server.stop()
        #expect(server.requests.first?.query("symbol") == "BRK.B")
    }

    @Test(arguments: [
        ("finnhub/error-invalid-token.json", 401, ProviderError.Kind.unauthorized, HealthState.down, "Invalid API key"),
        ("finnhub/error-no-access.json", 403, .notEntitled, .down, "You don't have access to this resource."),
        ("finnhub/error-limit.json", 429, .rateLimited(retryAfter: nil), .rateLimited, "API limit reached")
    ])
    func documentedErrorBodiesAreTyped(fixture: String, status: Int, kind: ProviderError.Kind, state: HealthState, said: String)
        async throws
    {
        let server = try await LoopbackHTTPServer.start { _ in Fixture.json(fixture, status: status) }
        let clock = ManualClock()
        let source = Kit.source(server, clock: clock)
        let error = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: [Kit.symbol("AAPL")]) }
        await server.stop()
        #expect(error?.kind == kind)
        #expect(error?.status == status)
        #expect(error?.healthState == state)
        #expect(error?.symbol == Kit.symbol("AAPL"))
        #expect(error?.message.contains(said) == true)
        if status == 429 {
            #expect(await source.client.limiter.status().pausedUntil == clock.now() + .seconds(60))
        }
    }

    @Test func errorsInsideA200AreTypedToo() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            switch request.query("symbol") {
            case "LIMIT": Fixture.json("finnhub/error-limit.json")
            case "PLAN": Fixture.json("finnhub/error-no-access.json")
            case "KEY": Fixture.json("finnhub/error-invalid-token.json")
            default: .json(#"{"error": "Wrong symbol"}"#)
            }
        }
        let clock = ManualClock()
        let source = Kit.source(server, clock: clock)
        var kinds: [ProviderError.Kind?] = []
        // The throttle note comes last: it pauses the limiter, and the manual clock never moves.
        for symbol in ["PLAN", "KEY", "ODD", "LIMIT"] {
            let error = await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: [Kit.symbol(symbol)]) }
            kinds.append(error?.kind)
        }
        await server.stop()
        #expect(kinds == [.notEntitled, .unauthorized, .badRequest, .rateLimited(retryAfter: nil)])
        #expect(await source.client.limiter.status().pausedUntil == clock.now() + .seconds(60))
    }

    @Test func theKeyEchoedInAnErrorIsMaskedInTheErrorAndTheLog() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(#"{"error": "Invalid API key \#(Kit.key)"}"#, status: 401)
        }
        let capture = LogCapture()
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server, capture: capture).latestQuotes(for: [Kit.symbol("AAPL")])
        }
        await server.stop()
        let text = String(describing: error)
        #expect(text.contains("Invalid API key ***"))
        #expect(!text.contains(Kit.key))
        #expect(!capture.text.contains(Kit.key))
        #expect(capture.text.contains("/api/v1/quote"))
    }

    @Test func outagesTruncationAndWrongTypesAreReported() async throws {
        let server = try await LoopbackHTTPServer.start { request in
            switch request.query("symbol") {
            case "HTML": .html(status: 200, title: "Just a moment")
            case "DOWN": .json(#"{"error": "internal"}"#, status: 500)
            case "CUT": .json(#"{"c": 170.12, "d": -4.9"#)
            default: .json(#"{"c": "170.12", "t": 1709672401}"#)
            }
        }
        let source = Kit.source(server)
        var errors: [ProviderError?] = []
        for symbol in ["HTML", "DOWN", "CUT", "TYPE"] {
            errors.append(
                await #expect(throws: ProviderError.self) { _ = try await source.latestQuotes(for: [Kit.symbol(symbol)]) })
        }
        await server.stop()
        #expect(errors.map { $0?.kind } == [.formatChanged, .serverError, .formatChanged, .formatChanged])
        #expect(errors[0]?.message.contains("HTML") == true)
        #expect(errors[2]?.message.contains("not valid JSON") == true)
        #expect(errors[3]?.message.contains("expected a number at c") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .hang }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server, timeout: .milliseconds(300)).latestQuotes(for: [Kit.symbol("AAPL")])
        }
        await server.stop()
        #expect(error?.kind == .timeout)
        #expect(error?.healthState == .down)
        #expect(!String(describing: error).contains(Kit.key))
    }
}
