import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = AlphaVantageHarness

@Suite("Alpha Vantage failures")
struct AlphaVantageFailureTests {
    private func dailyError(
        timeout: Duration = .seconds(5), _ respond: @escaping @Sendable (RecordedRequest) -> StubResponse
    ) async throws -> (ProviderError?, H) {
        let h = try await H.start(timeout: timeout) { respond($0) }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await h.source.historyBars(
                for: H.symbol("IBM"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-05T00:00:00Z"))
        }
        await h.stop()
        return (error, h)
    }

    @Test(arguments: [
        (401, ProviderError.Kind.unauthorized, HealthState.down),
        (403, .notEntitled, .down),
        (404, .notFound, .degraded),
        (422, .badRequest, .degraded),
        (500, .serverError, .down)
    ])
    func httpStatusesBecomeTypedErrors(status: Int, kind: ProviderError.Kind, state: HealthState) async throws {
        let (error, h) = try await dailyError { _ in .json(#"{"Error Message": "refused for \#(H.key)"}"#, status: status) }
        #expect(error?.kind == kind)
        #expect(error?.status == status)
        #expect(error?.healthState == state)
        #expect(error?.symbol == H.symbol("IBM"))
        let text = String(describing: error)
        #expect(text.contains("refused for ***"))
        #expect(!text.contains(H.key))
        #expect(!h.capture.text.contains(H.key))
    }

    @Test func http429PausesTheSharedLimiter() async throws {
        let (error, h) = try await dailyError { _ in
            StubResponse(
                status: 429, headers: [("Retry-After", "20"), ("Content-Type", "text/plain")], body: Array("slow down".utf8))
        }
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(20)))
        #expect(await h.limiter.status().pausedUntil == h.now + .seconds(20))
    }

    @Test func anHTMLOutagePageIsReported() async throws {
        let (error, _) = try await dailyError { _ in .html(status: 503) }
        #expect(error?.kind == .serverError)
        #expect(error?.message.contains("HTML") == true)
    }

    @Test func anHTMLPageWithStatus200IsAFormatChange() async throws {
        let (error, _) = try await dailyError { _ in .html(status: 200, title: "Maintenance") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.healthState == .formatChanged)
    }

    @Test func truncatedJSONIsAFormatChange() async throws {
        let (error, _) = try await dailyError { _ in Fixture.json("alphavantage/daily-truncated.json") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("not valid JSON") == true)
    }

    @Test func aWrongTypeIsAFormatChangeNamingWhere() async throws {
        let (error, _) = try await dailyError { _ in Fixture.json("alphavantage/daily-wrong-type.json") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("expected a string at Time Series (Daily).2024-03-05.1. open") == true)
    }

    @Test func aStringThatIsNotANumberIsAFormatChange() async throws {
        let (error, _) = try await dailyError { _ in Fixture.json("alphavantage/daily-not-a-number.json") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("Time Series (Daily).2024-03-05.1. open") == true)
    }

    @Test func missingMetaDataAndSeriesAreNamed() async throws {
        let (error, _) = try await dailyError { _ in Fixture.json("alphavantage/unexpected-shape.json") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("missing 'Meta Data' and 'Time Series (Daily)'") == true)
        #expect(error?.bodyExcerpt?.contains("Realtime Currency") == true)
    }

    @Test func aSeriesForAnotherIntervalIsNamedAsMissing() async throws {
        let h = try await H.start(now: "2024-03-11T14:00:00Z") { _ in Fixture.json("alphavantage/meta-without-series.json") }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await h.source.historyBars(
                for: H.symbol("IBM"), timeframe: .fiveMinutes, in: H.time("2024-03-11T12:00:00Z")...H.time("2024-03-11T14:00:00Z")
            )
        }
        await h.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("missing 'Time Series (5min)'") == true)
        #expect(error?.message.contains("Meta Data") == false)
    }

    @Test func anUnreadableTimeKeyIsAFormatChange() async throws {
        let body =
            #"{"Meta Data": {}, "Time Series (Daily)": {"03/05/2024": {"1. open": "1", "2. high": "1", "3. low": "1", "4. close": "1", "5. volume": "1"}}}"#
        let (error, _) = try await dailyError { _ in .json(body) }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("unreadable time '03/05/2024'") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let (error, h) = try await dailyError(timeout: .milliseconds(300)) { _ in .hang }
        #expect(error?.kind == .timeout)
        #expect(error?.healthState == .down)
        #expect(!String(describing: error).contains(H.key))
        #expect(!h.capture.text.contains(H.key))
    }

    @Test(arguments: [
        "error-invalid-call.json", "error-invalid-key.json", "information-daily-limit.json", "information-burst.json",
        "information-premium-endpoint.json", "note-per-minute.json", "global-quote-empty.json", "unexpected-shape.json"
    ])
    func noErrorAndNoLogLineCarriesTheKey(fixture: String) async throws {
        let h = try await H.start { _ in Fixture.json("alphavantage/\(fixture)") }
        let error = await #expect(throws: ProviderError.self) { _ = try await h.source.latestQuotes(for: [H.symbol("IBM")]) }
        await h.stop()
        let text = String(describing: error) + (error?.bodyExcerpt ?? "")
        #expect(!text.contains(H.key))
        #expect(!h.capture.text.contains(H.key))
        #expect(h.capture.text.contains("apikey=***"))
    }
}
