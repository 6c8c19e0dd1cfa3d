import Logging

/// Builds the source for each configured provider, with the shared pieces
/// (transport, one rate limiter per provider account, clock, logger).
public struct ProviderFactory: Sendable {
    package var transport: any HTTPTransport
    package var limiters: RateLimiterRegistry
    package var clock: any Clock<Duration>
    package var timeSource: any TimeSource
    package var logger: Logger
    package var environment: [String: String]
    /// How long a request may wait for its provider's rate limiter; nil waits as long as needed.
    public var maximumRateLimitWait: Duration?

    public init(
        transport: any HTTPTransport = AsyncHTTPTransport(), limiters: RateLimiterRegistry,
        clock: any Clock<Duration>, timeSource: any TimeSource, logger: Logger, environment: [String: String]
    ) {
        self.transport = transport
        self.limiters = limiters
        self.clock = clock
        self.timeSource = timeSource
        self.logger = logger
        self.environment = environment
    }

    /// A source ready to run, or the state and reason it is not running.
    public struct Setup: Sendable {
        public var source: (any MarketDataSource)?
        public var state: HealthState
        public var detail: String?
    }

    /// The network source for `configuration` (not the simulated market, which the runtime builds).
    package func make(_ configuration: SourceConfiguration) -> Setup {
        guard configuration.enabled else { return Setup(state: .disabled, detail: "disabled in the configuration") }
        let missing = configuration.missingCredentialVariables(in: environment)
        if !missing.isEmpty {
            return Setup(state: .noKey, detail: "set \(missing.joined(separator: " and ")) in the environment")
        }
        let credentials = ProviderCredentials(
            key: configuration.apiKey(in: environment), secret: configuration.apiSecret(in: environment))
        let source: any MarketDataSource
        do {
            switch configuration.kind {
            case .simulated:
                return Setup(state: .disabled, detail: "the simulated market is built by the runtime")
            case .alpaca:
                source = AlpacaSource(
                    configuration: configuration, client: client(for: configuration, credentials), credentials: credentials)
            case .yahoo:
                source = YahooSource(configuration: configuration, client: client(for: configuration, credentials))
            case .alphavantage:
                source = AlphaVantageSource(
                    configuration: configuration, client: client(for: configuration, credentials), credentials: credentials)
            case .polygon:
                source = PolygonSource(
                    configuration: configuration, client: client(for: configuration, credentials), credentials: credentials)
            case .finnhub:
                source = FinnhubSource(
                    configuration: configuration, client: client(for: configuration, credentials), credentials: credentials)
            case .replay:
                source = try ReplaySource(configuration: configuration, clock: clock, timeSource: timeSource)
            }
        } catch {
            return Setup(state: .down, detail: String(describing: error))
        }
        guard !source.capabilities.isEmpty else {
            return Setup(state: .disabled, detail: "no \(configuration.kind.displayName) client in this build yet")
        }
        let how = configuration.kind.isNetworked ? "polling \(configuration.baseURL ?? "")" : configuration.kind.displayName
        return Setup(source: source, state: .starting, detail: how)
    }

    /// The HTTP client for a networked source: its base URL, timeout, the provider's shared limiter.
    package func client(for configuration: SourceConfiguration, _ credentials: ProviderCredentials) -> ProviderClient {
        let limit = configuration.rateLimit ?? configuration.kind.defaultRateLimit ?? RateLimit(requests: 60, per: .seconds(60))
        return ProviderClient(
            id: configuration.id, baseURL: configuration.baseURL ?? configuration.kind.defaultBaseURL ?? "",
            transport: transport,
            limiter: limiters.limiter(
                for: configuration.rateLimitAccount, limit: limit, burst: configuration.kind.burstLimit),
            timeout: configuration.timeout, secrets: credentials.secrets, timeSource: timeSource, logger: logger,
            maximumRateLimitWait: maximumRateLimitWait)
    }
}
