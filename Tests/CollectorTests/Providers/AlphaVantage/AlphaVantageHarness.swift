import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport

/// An Alpha Vantage source aimed at a loopback server, on a manual clock, logging into a capture.
struct AlphaVantageHarness {
    static let key = "TEST-KEY-0000-FAKE"

    let server: LoopbackHTTPServer
    let clock: ManualClock
    let capture: LogCapture
    let limiter: RateLimiter
    let source: AlphaVantageSource

    static func start(
        now: String = "2024-03-06T15:00:00Z", limit: RateLimit = RateLimit(requests: 100, per: .seconds(60)),
        timeout: Duration = .seconds(5), handler: @escaping LoopbackHTTPServer.Handler
    ) async throws -> AlphaVantageHarness {
        let server = try await LoopbackHTTPServer.start(handler)
        let clock = ManualClock(epoch: Timestamp(rfc3339: now)!)
        let capture = LogCapture()
        let limiter = RateLimiter(limit: limit, clock: clock, timeSource: clock)
        let source = makeSource(server: server, clock: clock, capture: capture, limiter: limiter, timeout: timeout)
        return AlphaVantageHarness(server: server, clock: clock, capture: capture, limiter: limiter, source: source)
    }

    /// A source on `server`; several sources made with one limiter share its budget, as the factory does.
    static func makeSource(
        server: LoopbackHTTPServer, clock: ManualClock, capture: LogCapture, limiter: RateLimiter,
        timeout: Duration = .seconds(5)
    ) -> AlphaVantageSource {
        let configuration = SourceConfiguration.defaults(id: "av", kind: .alphavantage)
        let credentials = ProviderCredentials(key: key)
        let client = ProviderClient(
            id: configuration.id, baseURL: server.baseURL, transport: AsyncHTTPTransport(), limiter: limiter,
            timeout: timeout, secrets: credentials.secrets, timeSource: clock, logger: capture.logger(),
            jitter: { $0 })
        return AlphaVantageSource(configuration: configuration, client: client, credentials: credentials)
    }

    var now: Timestamp { clock.now() }
    var requests: [RecordedRequest] { server.requests }

    func stop() async { await server.stop() }

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    static func symbol(_ text: String) -> Symbol { try! Symbol(text) }
}
