import Collector
import CollectorTestSupport
import Logging

/// Each provider's REST decoding and mapping, end to end through its source: every request
/// is answered 200 with the fuzz input as the body (no network). A fresh client per input,
/// so a "rate limited" answer cannot hold the next inputs.
enum RESTFuzzing {
    static let symbols = [try! Symbol("AAPL"), try! Symbol("BTC-USD")]
    static let range = Timestamp(rfc3339: "2024-03-01T00:00:00Z")!...Timestamp(rfc3339: "2024-03-08T00:00:00Z")!
    static let logger = Logger(label: "ticktop-fuzz") { _ in SwiftLogNoOpLogHandler() }

    static func run(_ target: FuzzTarget, body: [UInt8]) {
        guard let source = source(target, body: body) else { return }
        BlockingTask.run {
            for timeframe in [Timeframe.oneMinute, .oneDay, .oneWeek] {
                _ = try? await source.historyBars(for: symbols[0], timeframe: timeframe, in: range)
            }
            _ = try? await source.latestQuotes(for: symbols)
        }
    }

    private static func source(_ target: FuzzTarget, body: [UInt8]) -> (any MarketDataSource)? {
        let kind: SourceKind
        switch target {
        case .alpacaREST: kind = .alpaca
        case .polygonREST: kind = .polygon
        case .finnhubREST: kind = .finnhub
        case .yahooREST: kind = .yahoo
        case .alphaVantageREST: kind = .alphavantage
        default: return nil
        }
        let configuration = SourceConfiguration.defaults(id: SourceID(kind.rawValue), kind: kind)
        let credentials = ProviderCredentials(key: "FUZZ-KEY", secret: "FUZZ-SECRET")
        let clock = ManualClock(epoch: Timestamp(rfc3339: "2024-03-08T16:00:00Z")!)
        let client = ProviderClient(
            id: configuration.id, baseURL: "http://fuzz.invalid", transport: CannedTransport(body: body),
            limiter: RateLimiter(limit: RateLimit(requests: 1_000, per: .seconds(1)), clock: clock, timeSource: clock),
            secrets: credentials.secrets, timeSource: clock, logger: logger, maximumRateLimitWait: .zero,
            throttlePause: .zero, jitter: { $0 })
        switch kind {
        case .alpaca: return AlpacaSource(configuration: configuration, client: client, credentials: credentials)
        case .polygon:
            return PolygonSource(configuration: configuration, client: client, credentials: credentials, maximumPages: 3)
        case .finnhub: return FinnhubSource(configuration: configuration, client: client, credentials: credentials)
        case .yahoo: return YahooSource(configuration: configuration, client: client)
        default:
            return AlphaVantageSource(configuration: configuration, client: client, credentials: credentials, burstPause: .zero)
        }
    }
}

/// Answers every request 200 with the same JSON body.
struct CannedTransport: HTTPTransport {
    let body: [UInt8]

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")], body: body)
    }
}
