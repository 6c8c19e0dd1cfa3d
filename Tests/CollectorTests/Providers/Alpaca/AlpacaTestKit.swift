import CollectorTestSupport
import Foundation
import ProviderTestSupport

@testable import Collector

/// Builds an `AlpacaSource` aimed at a loopback server, with fake credentials, a manual
/// clock and a log capture.
enum AlpacaTestKit {
    static let key = "TEST-KEY-0000-FAKE"
    static let secret = "TEST-SECRET-0000-FAKE-9f8e7d"

    static func source(
        _ server: LoopbackHTTPServer, capture: LogCapture = LogCapture(), clock: ManualClock = ManualClock(),
        feed: String? = nil, adjustment: AlpacaAdjustment = .raw, timeout: Duration = .seconds(5),
        limit: RateLimit = RateLimit(requests: 200, per: .seconds(60))
    ) -> AlpacaSource {
        var configuration = SourceConfiguration.defaults(id: "alpaca", kind: .alpaca)
        configuration.baseURL = server.baseURL
        configuration.timeout = timeout
        if let feed { configuration.feed = feed }
        let credentials = ProviderCredentials(key: key, secret: secret)
        let client = ProviderClient(
            id: configuration.id, baseURL: server.baseURL, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: limit, clock: clock, timeSource: clock), timeout: timeout,
            secrets: credentials.secrets, timeSource: clock, logger: capture.logger(), jitter: { $0 })
        return AlpacaSource(configuration: configuration, client: client, credentials: credentials, adjustment: adjustment)
    }

    /// A client with no secrets and a default limiter.
    static func plainClient(_ server: LoopbackHTTPServer) -> ProviderClient {
        let clock = ManualClock()
        return ProviderClient(
            id: "alpaca", baseURL: server.baseURL, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: RateLimit(requests: 10, per: .seconds(60)), clock: clock, timeSource: clock),
            timeSource: clock, logger: LogCapture().logger())
    }

    static func symbol(_ text: String) -> Symbol { try! Symbol(text) }

    static func utc(_ year: Int, _ month: Int, _ day: Int) -> Timestamp {
        Timestamp.utcMidnight(year: year, month: month, day: day)!
    }

    /// An exact instant from an RFC 3339 text (test input only).
    static func time(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }

    /// The query parameters of a request as a dictionary (last value wins).
    static func parameters(_ request: RecordedRequest) -> [String: String] {
        Dictionary(request.queryItems.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
    }

    /// An empty single-symbol bars page.
    static let emptySymbolBars = #"{"bars": null, "symbol": "AAPL", "next_page_token": null}"#
}
