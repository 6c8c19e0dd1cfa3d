import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@testable import Collector

/// Yahoo, Finnhub and Polygon may answer a throttle with a note in the body of a 200 (not a 429).
/// The pause must be in force when `ProviderClient.send` hands that answer back, as after a 429:
/// it once began only after the source decoded the answer, so another caller's request could go
/// out in between. Here, once the note is answered, concurrent callers send nothing.
@Suite("Throttle notes in the body pause the provider in send")
struct BodyThrottleTests {
    enum Vendor: String, CaseIterable, Sendable {
        case yahoo, finnhub, polygon

        /// Where the note comes from and what it says (HTTP 200).
        var note: (path: String, body: String) {
            switch self {
            case .yahoo:
                ("/v1/test/getcrumb", "Too Many Requests")
            case .finnhub:
                ("/quote", #"{"error":"API limit reached. Please try again later. Remaining Limit: 0"}"#)
            case .polygon:
                (
                    "/v2/last/trade/AAPL",
                    #"{"status":"ERROR","request_id":"r1","error":"You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue."}"#
                )
            }
        }

        func source(_ client: ProviderClient) -> any MarketDataSource {
            let credentials = ProviderCredentials(key: "TEST-KEY-0000-FAKE")
            switch self {
            case .yahoo:
                return YahooSource(configuration: .defaults(id: "yahoo", kind: .yahoo), client: client)
            case .finnhub:
                return FinnhubSource(
                    configuration: .defaults(id: "finnhub", kind: .finnhub), client: client, credentials: credentials)
            case .polygon:
                return PolygonSource(
                    configuration: .defaults(id: "poly", kind: .polygon), client: client, credentials: credentials)
            }
        }

        func client(of source: any MarketDataSource) -> ProviderClient? {
            (source as? YahooSource)?.client ?? (source as? FinnhubSource)?.client ?? (source as? PolygonSource)?.client
        }
    }

    @Test(arguments: Vendor.allCases)
    func aNoteInTheBodyPausesBeforeTheAnswerIsHandedBack(vendor: Vendor) async throws {
        let note = vendor.note
        let server = try await LoopbackHTTPServer.start { request in
            request.path == note.path ? .text(note.body, status: 200) : .json(#"{"unexpected": true}"#)
        }
        let clock = ManualClock()
        let plain = ProviderClient(
            id: SourceID(vendor.rawValue), baseURL: server.baseURL, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: .init(requests: 100, per: .seconds(60)), clock: clock, timeSource: clock),
            timeSource: clock, logger: LogCapture().logger(), maximumRateLimitWait: .zero, jitter: { $0 })
        let source = vendor.source(plain)
        let client = try #require(vendor.client(of: source))

        let response = try await client.send(HTTPRequest(url: server.baseURL + note.path), symbol: nil, endpoint: note.path)
        #expect(response.status == 200)
        #expect(await client.limiter.pauseEnd() == clock.now() + .seconds(60), "paused before the answer is handed back")

        let aapl = try Symbol("AAPL")
        let failures = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        _ = try await source.latestQuotes(for: [aapl])
                        return nil
                    } catch { return error }
                }
            }
            return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
        }
        await server.stop()
        #expect(server.requests.count == 1, "no request after the note: \(server.requests.map(\.path))")
        for failure in failures {
            guard case .rateLimited? = (failure as? ProviderError)?.kind else {
                Issue.record("expected a rate-limited failure, got \(String(describing: failure))")
                continue
            }
        }
    }

    /// The note is recognised only where the provider puts it: a normal answer pauses nothing.
    @Test func ordinaryAnswersAreNoNotes() {
        func response(_ body: String, status: Int = 200) -> HTTPResponse {
            HTTPResponse(status: status, headers: [], body: Array(body.utf8))
        }
        #expect(
            YahooMapping.throttleNote(
                in: response(#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data"}}}"#)) == nil)
        #expect(YahooMapping.throttleNote(in: response(#"{"finance":{"error":{"code":"Too Many Requests"}}}"#)) != nil)
        #expect(YahooMapping.throttleNote(in: response("FakeCrumb01")) == nil)
        #expect(FinnhubMapping.throttleNote(in: response(#"{"c":211.42,"t":1709653327}"#)) == nil)
        #expect(FinnhubMapping.throttleNote(in: response(#"{"error":"Invalid API key"}"#)) == nil)
        #expect(PolygonMapping.throttleNote(in: response(#"{"status":"ERROR","error":"Unknown API Key"}"#)) == nil)
        #expect(PolygonMapping.throttleNote(in: response(#"{"status":"OK","results":{"p":211.42}}"#)) == nil)
    }
}
