import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

private typealias H = PolygonHarness

/// `provider-formats.md` §4.3: the text is under `error` for `status: "ERROR"` and under
/// `message` for `NOT_AUTHORIZED`; both reach the error message.
@Suite("Polygon failures")
struct PolygonFailureTests {
    private func barsError(
        timeout: Duration = .seconds(5), _ respond: @escaping @Sendable (RecordedRequest) -> StubResponse
    ) async throws -> (ProviderError?, H) {
        let h = try await H.start(timeout: timeout) { respond($0) }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await h.source.historyBars(
                for: H.symbol("AAPL"), timeframe: .oneDay, in: H.time("2024-03-01T00:00:00Z")...H.time("2024-03-11T00:00:00Z"))
        }
        await h.stop()
        return (error, h)
    }

    @Test(arguments: [
        (401, "polygon/error-401-unknown-key.json", ProviderError.Kind.unauthorized, HealthState.down, "Unknown API Key"),
        (401, "polygon/error-401-no-key.json", .unauthorized, .down, "API Key was not provided"),
        (403, "polygon/error-403-not-entitled.json", .notEntitled, .down, "You are not entitled to this data"),
        (403, "polygon/error-403-timeframe.json", .notEntitled, .down, "doesn't include this data timeframe"),
        (404, "polygon/error-404.json", .notFound, .degraded, "Data not found")
    ])
    func documentedErrorBodiesAreReadWhereverTheTextIs(
        status: Int, fixture: String, kind: ProviderError.Kind, state: HealthState, text: String
    ) async throws {
        let (error, h) = try await barsError { _ in Fixture.json(fixture, status: status) }
        #expect(error?.kind == kind)
        #expect(error?.status == status)
        #expect(error?.healthState == state)
        #expect(error?.symbol == H.symbol("AAPL"))
        #expect(error?.endpoint == "/v2/aggs/ticker/AAPL/range/1/day/2024-03-01/2024-03-11")
        #expect(error?.message.contains(text) == true)
        #expect(h.requests.count == 1)
    }

    @Test(arguments: [(422, ProviderError.Kind.badRequest), (500, .serverError), (502, .serverError)])
    func otherStatusesBecomeTypedErrors(status: Int, kind: ProviderError.Kind) async throws {
        let (error, _) = try await barsError { _ in
            .json(#"{"status":"ERROR","request_id":"r","error":"could not handle it"}"#, status: status)
        }
        #expect(error?.kind == kind)
        #expect(error?.message.contains("could not handle it") == true)
    }

    @Test func http429PausesTheSharedLimiterForTheDefaultPause() async throws {
        let (error, h) = try await barsError { _ in Fixture.json("polygon/error-429.json", status: 429) }
        #expect(error?.kind == .rateLimited(retryAfter: nil))
        #expect(error?.healthState == .rateLimited)
        #expect(error?.message.contains("exceeded the maximum requests per minute") == true)
        #expect(await h.limiter.status().pausedUntil == h.now + .seconds(60))
    }

    @Test(arguments: [
        ("polygon/error-401-unknown-key.json", ProviderError.Kind.unauthorized),
        ("polygon/error-403-not-entitled.json", .notEntitled),
        ("polygon/error-404.json", .notFound)
    ])
    func errorStatusesInsideA200AreErrors(fixture: String, kind: ProviderError.Kind) async throws {
        let (error, h) = try await barsError { _ in Fixture.json(fixture) }
        #expect(error?.kind == kind)
        #expect(error?.status == 200)
        #expect(await h.limiter.status().pausedUntil == nil)
    }

    @Test func aThrottleInsideA200PausesTheLimiter() async throws {
        let (error, h) = try await barsError { _ in Fixture.json("polygon/error-429.json") }
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(60)))
        #expect(await h.limiter.status().pausedUntil == h.now + .seconds(60))
    }

    @Test func anotherErrorInsideA200IsABadRequest() async throws {
        let (error, _) = try await barsError { _ in .json(#"{"status":"ERROR","error":"Could not parse the time parameter"}"#) }
        #expect(error?.kind == .badRequest)
        #expect(error?.message.contains("Could not parse the time parameter") == true)
    }

    @Test func anErrorOnTheSecondPageIsReportedForThatPage() async throws {
        let (error, h) = try await barsError { request in
            request.query("cursor") == nil
                ? Fixture.json("polygon/aggs-day-page1.json") : .html(status: 502, title: "Bad Gateway")
        }
        #expect(error?.kind == .serverError)
        #expect(error?.endpoint == "/v2/aggs/ticker/AAPL/range/1/day/1709701200000/2024-03-11")
        #expect(error?.message.contains("HTML") == true)
        #expect(h.requests.count == 2)
    }

    @Test func anHTMLPageWithStatus200IsAFormatChange() async throws {
        let (error, _) = try await barsError { _ in .html(status: 200, title: "Just a moment") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.healthState == .formatChanged)
    }

    @Test func truncatedJSONIsAFormatChange() async throws {
        let (error, _) = try await barsError { _ in .json(#"{"ticker":"AAPL","status":"OK","results":[{"o":176.15,"#) }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("not valid JSON") == true)
    }

    @Test func aStringTimestampIsAFormatChangeNamingWhere() async throws {
        let (error, _) = try await barsError { _ in Fixture.json("polygon/aggs-wrong-type.json") }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("expected a number at results[0].t") == true)
    }

    @Test func aMissingRequiredFieldIsAFormatChangeNamingIt() async throws {
        let (error, _) = try await barsError { _ in
            .json(#"{"status":"OK","results":[{"o":1,"h":1,"l":1,"c":1,"t":1709528400000}]}"#)
        }
        #expect(error?.kind == .formatChanged)
        #expect(error?.message.contains("missing key 'v'") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let (error, h) = try await barsError(timeout: .milliseconds(300)) { _ in .hang }
        #expect(error?.kind == .timeout)
        #expect(error?.healthState == .down)
        #expect(!h.capture.text.contains(H.key))
    }

    @Test func aKeyEchoedInAnErrorIsMaskedInTheErrorAndTheLog() async throws {
        let (error, h) = try await barsError { _ in
            .json(#"{"status":"ERROR","request_id":"r","error":"Unknown API Key \#(H.key)"}"#, status: 401)
        }
        let text = String(describing: error) + (error?.bodyExcerpt ?? "")
        #expect(error?.kind == .unauthorized)
        #expect(text.contains("Unknown API Key ***"))
        #expect(!text.contains(H.key))
        #expect(!h.capture.text.contains(H.key))
        #expect(!h.capture.text.contains("Bearer"))
    }
}
