import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport

/// Builds Finnhub sources aimed at a loopback server, with a fake key.
enum FinnhubTestKit {
    static let key = "TEST-KEY-0000-FAKE"

    static func source(
        _ server: LoopbackHTTPServer, capture: LogCapture = LogCapture(), clock: ManualClock = ManualClock(),
        timeout: Duration = .seconds(5), key: String? = FinnhubTestKit.key
    ) -> FinnhubSource {
        let configuration = SourceConfiguration.defaults(id: "finnhub", kind: .finnhub)
        let credentials = ProviderCredentials(key: key)
        let client = ProviderClient(
            id: configuration.id, baseURL: server.baseURL + "/api/v1", transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: RateLimit(requests: 100, per: .seconds(60)), clock: clock, timeSource: clock),
            timeout: timeout, secrets: credentials.secrets, timeSource: clock, logger: capture.logger(), jitter: { $0 })
        return FinnhubSource(configuration: configuration, client: client, credentials: credentials)
    }

    static func range(_ from: String, _ to: String) -> ClosedRange<Timestamp> {
        Timestamp(rfc3339: from)!...Timestamp(rfc3339: to)!
    }

    static func symbol(_ text: String) -> Symbol { try! Symbol(text) }

    /// Unix seconds of an RFC 3339 time, as a query value.
    static func seconds(_ text: String) -> String { String(Timestamp(rfc3339: text)!.nanoseconds / 1_000_000_000) }
}
