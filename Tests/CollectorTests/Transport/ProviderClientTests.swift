import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Testing

@Suite("ProviderClient against a loopback server")
struct ProviderClientTests {
    static let key = "SECRETKEY123456789"

    func client(
        _ server: LoopbackHTTPServer, capture: LogCapture, limit: RateLimit = .init(requests: 100, per: .seconds(60)),
        timeout: Duration = .seconds(5), clock: ManualClock = ManualClock()
    ) -> ProviderClient {
        ProviderClient(
            id: SourceID("test"), baseURL: server.baseURL, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: limit, clock: clock, timeSource: clock), timeout: timeout,
            secrets: [Self.key], timeSource: clock, logger: capture.logger(), jitter: { $0 })
    }

    @Test func sendsQueryAndHeadersAndReturnsTheBody() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json(#"{"ok":true}"#) }
        let capture = LogCapture()
        let response = try await client(server, capture: capture).get(
            "/v1/quote", query: [URLQueryItem(name: "symbol", value: "BRK+B"), URLQueryItem(name: "token", value: Self.key)],
            headers: [HTTPHeader("X-Test", "1")])
        await server.stop()
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"ok":true}"#)
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/quote")
        #expect(request.query("symbol") == "BRK+B")
        #expect(request.query("token") == Self.key)
        #expect(request.header("X-Test") == "1")
        #expect(!capture.text.contains(Self.key))
        #expect(capture.text.contains("token=***"))
    }

    @Test(arguments: [
        (401, ProviderError.Kind.unauthorized, HealthState.down),
        (403, .notEntitled, .down),
        (404, .notFound, .degraded),
        (422, .badRequest, .degraded),
        (500, .serverError, .down)
    ])
    func mapsStatusesToTypedErrors(status: Int, kind: ProviderError.Kind, state: HealthState) async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            .json(#"{"message":"nope for key \#(Self.key)"}"#, status: status)
        }
        let capture = LogCapture()
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server, capture: capture).get("/v2/x", query: [URLQueryItem(name: "apikey", value: Self.key)])
        }
        await server.stop()
        #expect(error?.kind == kind)
        #expect(error?.status == status)
        #expect(error?.healthState == state)
        #expect(error?.endpoint == "/v2/x")
        let text = String(describing: error)
        #expect(text.contains("nope for key ***"))
        #expect(!text.contains(Self.key))
    }

    @Test func htmlInsteadOfJSONIsAFormatChange() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .html(status: 200, title: "Just a moment") }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server, capture: LogCapture()).get("/v8/finance/chart/AAPL")
        }
        await server.stop()
        #expect(error?.kind == .formatChanged)
        #expect(error?.healthState == .formatChanged)
        #expect(error?.message.contains("HTML") == true)
    }

    @Test func throttleNamesTheWaitAndPausesTheSharedLimiter() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            StubResponse(
                status: 429, headers: [("Retry-After", "30"), ("Content-Type", "text/plain")],
                body: Array("Too Many Requests".utf8))
        }
        let clock = ManualClock()
        let provider = client(server, capture: LogCapture(), clock: clock)
        let error = await #expect(throws: ProviderError.self) { _ = try await provider.get("/q") }
        await server.stop()
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(30)))
        #expect(error?.message.contains("Too Many Requests") == true)
        let status = await provider.limiter.status()
        #expect(status.remaining == 0)
        #expect(status.pausedUntil == clock.now() + .seconds(30))
        #expect(await provider.limiter.waitForNextToken() == .seconds(30))
    }

    /// Two Yahoo requests once went out 214 ms after a 429, before the pause began: the pause
    /// must be in force before the 429 is handed back to the caller that got it.
    @Test func a429PausesTheProviderBeforeTheAnswerIsHandedBack() async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            StubResponse(status: 429, headers: [("Retry-After", "30")], body: Array("slow down".utf8))
        }
        let clock = ManualClock()
        let provider = ProviderClient(
            id: SourceID("test"), baseURL: server.baseURL, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: .init(requests: 100, per: .seconds(60)), clock: clock, timeSource: clock),
            timeSource: clock, logger: LogCapture().logger(), maximumRateLimitWait: .zero, jitter: { $0 })
        let response = try await provider.send(HTTPRequest(url: server.baseURL + "/q"), symbol: nil, endpoint: "/q")
        #expect(response.status == 429)
        #expect(await provider.limiter.pauseEnd() == clock.now() + .seconds(30))
        let error = await #expect(throws: ProviderError.self) { _ = try await provider.get("/q") }
        #expect(server.requests.count == 1, "no request before the pause ends")
        clock.advance(by: .seconds(30))
        _ = try? await provider.get("/q")
        await server.stop()
        #expect(server.requests.count == 2, "the next one goes when the pause ends")
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(30)), "the caller is told how long the pause lasts")
    }

    /// A Retry-After past what a time can hold trapped when the pause was added to the clock.
    @Test(arguments: ["99999999999", "9223372036854775807"])
    func aRetryAfterLongerThanADayIsCappedAtADay(seconds: String) async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            StubResponse(
                status: 429, headers: [("Retry-After", seconds), ("Content-Type", "text/plain")], body: Array("slow".utf8))
        }
        let clock = ManualClock()
        let provider = client(server, capture: LogCapture(), clock: clock)
        let error = await #expect(throws: ProviderError.self) { _ = try await provider.get("/q") }
        await server.stop()
        #expect(error?.kind == .rateLimited(retryAfter: .seconds(86_400)))
        #expect(await provider.limiter.status().pausedUntil == clock.now() + .seconds(86_400))
    }

    @Test func truncatedJSONIsAFormatChangeNamingTheProblem() async throws {
        struct Wire: Decodable { var bars: [Double] }
        let server = try await LoopbackHTTPServer.start { request in
            request.path == "/cut" ? .json(#"{"bars":[1.0,2"#) : .json(#"{"bars":["x"]}"#)
        }
        let provider = client(server, capture: LogCapture())
        let cut = try await provider.get("/cut")
        let wrong = try await provider.get("/wrong")
        await server.stop()
        let e1 = #expect(throws: ProviderError.self) { try provider.decode(Wire.self, from: cut, endpoint: "/cut") }
        #expect(e1?.kind == .formatChanged)
        #expect(e1?.message.contains("not valid JSON") == true)
        let e2 = #expect(throws: ProviderError.self) { try provider.decode(Wire.self, from: wrong, endpoint: "/wrong") }
        #expect(e2?.message.contains("expected a number at bars[0]") == true)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .hang }
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server, capture: LogCapture(), timeout: .milliseconds(300)).get("/slow")
        }
        await server.stop()
        #expect(error?.kind == .timeout)
        #expect(error?.healthState == .down)
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let server = try await LoopbackHTTPServer.start { _ in .json("{}") }
        await server.stop()
        let error = await #expect(throws: ProviderError.self) {
            _ = try await client(server, capture: LogCapture(), timeout: .milliseconds(500)).get("/x")
        }
        #expect(error?.kind == .unreachable)
    }
}
