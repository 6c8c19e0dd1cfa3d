import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@Suite("Yahoo chart errors")
struct YahooChartErrorTests {
    typealias Kit = YahooTestKit

    func failure(
        _ response: StubResponse, symbol: String = "AAPL", timeframe: Timeframe = .oneDay, clock: ManualClock = ManualClock(),
        capture: LogCapture = LogCapture(), timeout: Duration = .seconds(5)
    ) async throws -> (ProviderError?, YahooSource) {
        let server = try await LoopbackHTTPServer.start { _ in response }
        let source = Kit.source(server, capture: capture, clock: clock, timeout: timeout)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await source.historyBars(
                for: Kit.symbol(symbol), timeframe: timeframe, in: Kit.range("2024-03-01", "2024-03-08"))
        }
        await server.stop()
        return (error, source)
    }

    @Test func anUnknownSymbolIsNotFoundNamingTheSymbol() async throws {
        let (error, _) = try await failure(Fixture.json("yahoo/chart-not-found.json", status: 404), symbol: "ZZZZQ")
        let e = try #require(error)
        #expect(e.kind == .notFound)
        #expect(e.symbol == Kit.symbol("ZZZZQ"))
        #expect(e.status == 404)
        #expect(e.healthState == .degraded)
        #expect(e.isSymbolSpecific)
        #expect(e.endpoint == "/v8/finance/chart")
        #expect(e.message.contains("No data found, symbol may be delisted"))
        #expect(String(describing: e).contains("ZZZZQ"))
    }

    @Test func aChartErrorInsideA200IsMappedByItsCode() async throws {
        let (error, _) = try await failure(Fixture.json("yahoo/chart-not-found.json", status: 200), symbol: "ZZZZQ")
        #expect(error?.kind == .notFound)
        #expect(error?.symbol == Kit.symbol("ZZZZQ"))
        #expect(error?.message.contains("Not Found: No data found") == true)
    }

    @Test func aRejectedIntervalIsABadRequest() async throws {
        let (error, _) = try await failure(Fixture.json("yahoo/chart-bad-interval.json", status: 400))
        #expect(error?.kind == .badRequest)
        #expect(error?.status == 400)
        #expect(error?.message.contains("interval=5h is not supported") == true)
    }

    @Test func aRangeBeyondTheLookBackIsABadRequestSaying422() async throws {
        let (error, _) = try await failure(Fixture.json("yahoo/chart-range-too-old.json", status: 422), timeframe: .fiveMinutes)
        #expect(error?.kind == .badRequest)
        #expect(error?.status == 422)
        #expect(error?.healthState == .degraded)
        #expect(error?.message.contains("within the last 60 days") == true)
    }

    @Test func plainTextTooManyRequestsPausesTheLimiter() async throws {
        let clock = ManualClock()
        let (error, source) = try await failure(.text("Too Many Requests", status: 429), clock: clock)
        #expect(error?.kind == .rateLimited(retryAfter: nil))
        #expect(error?.healthState == .rateLimited)
        #expect(error?.message.contains("Too Many Requests") == true)
        let status = await source.client.limiter.status()
        #expect(status.remaining == 0)
        #expect(status.pausedUntil == clock.now() + .seconds(60))
    }

    @Test func edgeTooManyRequestsInsideA200ChartErrorIsRateLimited() async throws {
        let clock = ManualClock()
        let body = #"{"chart":{"result":null,"error":{"code":"Too Many Requests","description":"Edge: Too Many Requests"}}}"#
        let (error, source) = try await failure(.json(body), clock: clock)
        #expect(error?.kind == .rateLimited(retryAfter: nil))
        #expect(await source.client.limiter.status().pausedUntil == clock.now() + .seconds(60))
    }

    @Test func aServerErrorIsDown() async throws {
        let (error, _) = try await failure(
            .json(#"{"chart":{"result":null,"error":{"code":"Internal Server Error","description":"oops"}}}"#, status: 500))
        #expect(error?.kind == .serverError)
        #expect(error?.healthState == .down)
        #expect(error?.isTransient == true)
    }

    @Test func theWillBeRightBackOutagePageIsNotData() async throws {
        let page = StubResponse.text(
            "<!DOCTYPE html><html><head><title>Yahoo</title></head><body>Will be right back...</body></html>",
            status: 200, contentType: "text/html; charset=utf-8")
        let (error, _) = try await failure(page)
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("HTML") == true)
        let (down, _) = try await failure(.html(status: 503))
        #expect(down?.kind == .serverError)
    }

    @Test func truncatedJSONIsAFormatChange() async throws {
        let text = try Fixture.text("yahoo/chart-aapl-daily.json")
        let (error, _) = try await failure(.json(String(text.prefix(300))))
        #expect(error?.kind == .formatChanged)
        #expect(error?.healthState == .formatChanged)
        #expect(error?.message.contains("not valid JSON") == true)
    }

    @Test func aStringWhereANumberBelongsNamesThePath() async throws {
        let (error, _) = try await failure(Fixture.json("yahoo/chart-wrong-type.json"))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("expected a number at chart.result[0].indicators.quote[0].close[0]") == true)
    }

    @Test func timestampsWithoutColumnsAreAFormatChange() async throws {
        let body =
            #"{"chart":{"result":[{"meta":{},"timestamp":[1709821800],"indicators":{"quote":[{"open":[1],"high":[1],"low":[1],"volume":[1]}]}}],"error":null}}"#
        let (error, _) = try await failure(.json(body))
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("missing key 'close'") == true)
        let (missingQuote, _) = try await failure(.json(#"{"chart":{"result":[{"timestamp":[1709821800]}],"error":null}}"#))
        #expect(missingQuote?.message.contains("missing key 'quote'") == true)
    }

    @Test func neitherResultNorErrorIsAFormatChange() async throws {
        let (error, _) = try await failure(.json(#"{"chart":{"result":null,"error":null}}"#))
        #expect(error?.kind == .formatChanged)
        let (noChart, _) = try await failure(.json(#"{"finance":{}}"#))
        #expect(noChart?.message.contains("missing key 'chart'") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let (error, _) = try await failure(.hang, timeout: .milliseconds(300))
        #expect(error?.kind == .timeout)
        #expect(error?.healthState == .down)
        #expect(error?.symbol == Kit.symbol("AAPL"))
    }
}
