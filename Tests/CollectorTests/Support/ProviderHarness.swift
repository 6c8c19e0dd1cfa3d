import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport

/// What a provider's test harness needs to know: how to build its source and its defaults.
protocol HarnessedSource: MarketDataSource {
    static var harnessID: SourceID { get }
    static var harnessKind: SourceKind { get }
    /// The manual clock's start when a test does not say.
    static var harnessNow: String { get }
    static func make(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) -> Self
}

/// A provider source aimed at a loopback server, on a manual clock, logging into a capture.
struct ProviderHarness<Source: HarnessedSource> {
    static var key: String { "TEST-KEY-0000-FAKE" }

    let server: LoopbackHTTPServer
    let clock: ManualClock
    let capture: LogCapture
    let limiter: RateLimiter
    let source: Source

    static func start(
        now: String = Source.harnessNow, limit: RateLimit = RateLimit(requests: 100, per: .seconds(60)),
        timeout: Duration = .seconds(5), handler: @escaping LoopbackHTTPServer.Handler
    ) async throws -> ProviderHarness {
        let server = try await LoopbackHTTPServer.start(handler)
        let clock = ManualClock(epoch: Timestamp(rfc3339: now)!)
        let capture = LogCapture()
        let limiter = RateLimiter(limit: limit, clock: clock, timeSource: clock)
        let source = makeSource(server: server, clock: clock, capture: capture, limiter: limiter, timeout: timeout)
        return ProviderHarness(server: server, clock: clock, capture: capture, limiter: limiter, source: source)
    }

    /// A source on `server`; several sources made with one limiter share its budget, as the factory does.
    static func makeSource(
        server: LoopbackHTTPServer, clock: ManualClock, capture: LogCapture, limiter: RateLimiter,
        timeout: Duration = .seconds(5)
    ) -> Source {
        let configuration = SourceConfiguration.defaults(id: Source.harnessID, kind: Source.harnessKind)
        let credentials = ProviderCredentials(key: key)
        let client = ProviderClient(
            id: configuration.id, baseURL: server.baseURL, transport: AsyncHTTPTransport(), limiter: limiter,
            timeout: timeout, secrets: credentials.secrets, timeSource: clock, logger: capture.logger(),
            jitter: { $0 })
        return Source.make(configuration: configuration, client: client, credentials: credentials)
    }

    var now: Timestamp { clock.now() }
    var requests: [RecordedRequest] { server.requests }

    func stop() async { await server.stop() }

    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    static func symbol(_ text: String) -> Symbol { try! Symbol(text) }
}
