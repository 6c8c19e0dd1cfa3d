import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

@Suite("Alpaca errors")
struct AlpacaErrorTests {
    typealias Kit = AlpacaTestKit

    /// Asks for AAPL daily bars from a server that always answers `response`.
    func barsError(
        _ response: StubResponse, capture: LogCapture = LogCapture(), clock: ManualClock = ManualClock(),
        timeout: Duration = .seconds(5)
    ) async throws -> (ProviderError?, AlpacaSource) {
        let server = try await LoopbackHTTPServer.start { _ in response }
        let source = Kit.source(server, capture: capture, clock: clock, timeout: timeout)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await source.historyBars(
                for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.utc(2024, 3, 4)...Kit.utc(2024, 3, 5))
        }
        await server.stop()
        return (error, source)
    }

    @Test(arguments: [
        ("error-401.json", 401, ProviderError.Kind.unauthorized, HealthState.down, "request is not authorized"),
        ("error-403-sip.json", 403, .notEntitled, .down, "subscription does not permit querying recent SIP data"),
        ("error-403-forbidden.json", 403, .unauthorized, .down, "forbidden"),
        ("error-400.json", 400, .badRequest, .degraded, "invalid start"),
        ("error-422-timeframe.json", 422, .badRequest, .degraded, "invalid timeframe"),
        ("error-404.json", 404, .notFound, .degraded, "endpoint not found"),
        ("error-500.json", 500, .serverError, .down, "internal server error occurred")
    ])
    func documentedErrorBodiesBecomeTypedErrors(
        fixture: String, status: Int, kind: ProviderError.Kind, state: HealthState, said: String
    ) async throws {
        let (error, _) = try await barsError(Fixture.json("alpaca/\(fixture)", status: status))
        #expect(error?.kind == kind)
        #expect(error?.status == status)
        #expect(error?.healthState == state)
        #expect(error?.source == SourceID("alpaca"))
        #expect(error?.endpoint == "/v2/stocks/AAPL/bars")
        #expect(error?.message.contains(said) == true)
    }

    @Test func anInvalidSymbolAloneIsAnUnknownSymbol() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            Fixture.json("alpaca/error-422-invalid-symbol.json", status: 422)
        }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server).historyBars(
                for: Kit.symbol("ACP.PA"), timeframe: .oneDay, in: Kit.utc(2024, 3, 4)...Kit.utc(2024, 3, 5))
        }
        await server.stop()
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == Kit.symbol("ACP.PA"))
        #expect(error?.status == 422)
        #expect(error?.healthState == .degraded)
        #expect(error?.isSymbolSpecific == true)
        #expect(error?.message.contains("invalid symbol: ACP.PA") == true)
    }

    @Test func aCryptoSymbolCalledInvalidIsNamed() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(#"{"code":42210000,"message":"invalid symbol: DOGE/JPY"}"#, status: 422)
        }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server).historyBars(
                for: Kit.symbol("DOGE-JPY"), timeframe: .oneHour, in: Kit.utc(2024, 3, 4)...Kit.utc(2024, 3, 5))
        }
        await server.stop()
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == Kit.symbol("DOGE-JPY"))
        #expect(error?.endpoint == "/v1beta3/crypto/us/bars")
    }

    @Test func rateLimitExceededPausesTheSharedLimiter() async throws {
        let clock = ManualClock()
        let (error, source) = try await barsError(.text("rate limit exceeded", status: 429), clock: clock)
        #expect(error?.kind == .rateLimited(retryAfter: nil))
        #expect(error?.healthState == .rateLimited)
        #expect(error?.message.contains("rate limit exceeded") == true)
        let status = await source.client.limiter.status()
        #expect(status.remaining == 0)
        #expect(status.pausedUntil == clock.now() + .seconds(60))
        #expect(await source.rateLimiter?.waitForNextToken() == .seconds(60))
    }

    @Test func aRateLimitNamingItsWaitPausesForThatLong() async throws {
        let clock = ManualClock()
        let (error, source) = try await barsError(
            .json(#"{"message":"rate limit exceeded"}"#, status: 429, headers: [("Retry-After", "3")]), clock: clock)
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(3)))
        #expect(await source.client.limiter.status().pausedUntil == clock.now() + .seconds(3))
    }

    @Test func remainingRequestsReportedByAlpacaLowerTheBudget() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(Kit.emptySymbolBars, headers: [("X-RateLimit-Limit", "200"), ("X-RateLimit-Remaining", "0")])
        }
        let source = Kit.source(server)
        _ = try await source.historyBars(
            for: Kit.symbol("AAPL"), timeframe: .oneDay, in: Kit.utc(2024, 3, 4)...Kit.utc(2024, 3, 5))
        await server.stop()
        #expect(await source.client.limiter.status().remaining == 0)
    }

    @Test func anHTMLOutagePageIsAServerErrorSayingSo() async throws {
        let (error, _) = try await barsError(.html(status: 503, title: "503 Service Temporarily Unavailable"))
        #expect(error?.kind == .serverError)
        #expect(error?.message.contains("HTML") == true)
    }

    @Test func anHTMLPageWithStatus200IsAFormatChange() async throws {
        let (error, _) = try await barsError(.html(status: 200, title: "Maintenance"))
        #expect(error?.kind == .formatChanged)
        #expect(error?.healthState == .formatChanged)
    }

    @Test func truncatedJSONIsAFormatChange() async throws {
        let (error, _) = try await barsError(
            .json(#"{"bars": [{"t": "2024-03-04T05:00:00Z", "o": 176.15, "h": 176.9, "l": 17"#))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("not valid JSON") == true)
    }

    @Test func aPriceSentAsAStringIsAFormatChangeNamingWhere() async throws {
        let (error, _) = try await barsError(
            .json(
                #"{"bars": [{"t": "2024-03-04T05:00:00Z", "o": "176.15", "h": 176.9, "l": 173.79, "c": 175.1, "v": 81510101}], "next_page_token": null}"#
            ))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("expected a number at bars[0].o") == true)
    }

    @Test func aMissingBarsKeyIsAFormatChange() async throws {
        let (error, _) = try await barsError(.json(#"{"symbol": "AAPL", "next_page_token": null}"#))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("missing key 'bars'") == true)
    }

    @Test func anUnreadableTimeIsAFormatChangeNamingWhere() async throws {
        let (error, _) = try await barsError(
            .json(
                #"{"bars": [{"t": "2024-03-04 05:00", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1}], "next_page_token": null}"#))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("unreadable time '2024-03-04 05:00' at bars[0].t") == true)
    }

    @Test func aSnapshotWithAWrongTypeNamesTheSymbol() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(#"{"AAPL": {"latestTrade": {"t": "2024-03-05T15:42:07Z", "p": true}}}"#)
        }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await Kit.source(server).latestQuotes(for: [Kit.symbol("AAPL")])
        }
        await server.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("AAPL.latestTrade.p") == true)
        #expect(error?.endpoint == "/v2/stocks/snapshots")
    }

    @Test func aPageTokenThatRepeatsStopsThePaging() async throws {
        let (error, _) = try await barsError(.json(#"{"bars": [], "symbol": "AAPL", "next_page_token": "SAME"}"#))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("next_page_token") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let (error, _) = try await barsError(.hang, timeout: .milliseconds(300))
        #expect(error?.kind == .timeout)
        #expect(error?.healthState == .down)
        #expect(error?.isTransient == true)
    }

    @Test func theKeyAndSecretAppearInNoErrorAndNoLogLine() async throws {
        let echo = #"{"message": "forbidden: key \#(Kit.key) with secret \#(Kit.secret) refused"}"#
        let capture = LogCapture()
        let (error, _) = try await barsError(.json(echo, status: 403), capture: capture)
        let text = String(describing: try #require(error))
        #expect(text.contains("key *** with secret *** refused"))
        #expect(!text.contains(Kit.key) && !text.contains(Kit.secret))
        #expect(error?.bodyExcerpt?.contains(Kit.key) == false)
        #expect(error?.bodyExcerpt?.contains(Kit.secret) == false)
        #expect(capture.text.contains("/v2/stocks/AAPL/bars"))
        #expect(!capture.text.contains(Kit.key) && !capture.text.contains(Kit.secret))
    }

    @Test func theSourceDescribesItselfWithoutItsCredentials() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json("{}") }
        let source = Kit.source(server)
        await server.stop()
        let text = String(describing: source)
        #expect(!text.contains(Kit.key) && !text.contains(Kit.secret))
    }
}
