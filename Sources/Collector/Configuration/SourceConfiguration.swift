/// One `[sources.<id>]` table with every default filled in.
///
/// It holds the NAMES of the environment variables that carry credentials,
/// never the credentials themselves; `apiKey(in:)` and `apiSecret(in:)` look them up.
public struct SourceConfiguration: Sendable, Equatable {
    public var id: SourceID
    public var kind: SourceKind
    package var enabled: Bool
    /// Lower is preferred when several sources have a symbol.
    public var priority: Int
    /// REST base URL (networked kinds only).
    public var baseURL: String?
    /// WebSocket URL (kinds with a stream only).
    package var streamURL: String?
    /// WebSocket URL of Alpaca's crypto stream (alpaca only).
    package var cryptoStreamURL: String?
    /// Whether the live stream runs (kinds with a stream; on by default where there is a `streamURL`).
    package var streamEnabled: Bool = true
    /// No market data on the stream for this long while the market is open: the stream is stale.
    package var staleStreamAfter: Duration = .seconds(30)
    /// Name of the environment variable holding the API key (kinds that need one).
    public var keyEnv: String?
    /// Name of the environment variable holding the API secret (Alpaca only).
    public var secretEnv: String?
    /// Time between polls (networked kinds only).
    public var pollInterval: Duration?
    /// The request budget shared by every caller of this provider (networked kinds only).
    public var rateLimit: RateLimit?
    /// How long one request may take (networked kinds only).
    package var timeout: Duration
    /// Alpaca data feed, `iex` or `sip`.
    package var feed: String?
    /// The file a replay source plays back.
    public var replayPath: String?
    /// Replay pace: 1 plays the recorded times as they were, 10 ten times faster.
    package var replaySpeed: Double = 1
    /// Whether a replay starts over at the end of the file.
    package var replayLoop: Bool = false
    /// Settings of the simulated market (simulated kind only).
    public var simulation: SimulationSettings?

    package init(
        id: SourceID, kind: SourceKind, enabled: Bool = true, priority: Int? = nil,
        baseURL: String? = nil, streamURL: String? = nil, cryptoStreamURL: String? = nil, keyEnv: String? = nil,
        secretEnv: String? = nil,
        pollInterval: Duration? = nil, rateLimit: RateLimit? = nil, timeout: Duration = .seconds(10),
        feed: String? = nil, replayPath: String? = nil, simulation: SimulationSettings? = nil
    ) {
        self.id = id
        self.kind = kind
        self.enabled = enabled
        self.priority = priority ?? kind.defaultPriority
        self.baseURL = baseURL
        self.streamURL = streamURL
        self.cryptoStreamURL = cryptoStreamURL
        self.keyEnv = keyEnv
        self.secretEnv = secretEnv
        self.pollInterval = pollInterval
        self.rateLimit = rateLimit
        self.timeout = timeout
        self.feed = feed
        self.replayPath = replayPath
        self.simulation = simulation
    }

    /// A source of `kind` with that kind's defaults (a replay source still needs `replayPath`).
    package static func defaults(id: SourceID, kind: SourceKind) -> SourceConfiguration {
        SourceConfiguration(
            id: id, kind: kind,
            baseURL: kind.defaultBaseURL, streamURL: kind.defaultStreamURL, cryptoStreamURL: kind.defaultCryptoStreamURL,
            keyEnv: kind.defaultKeyEnv, secretEnv: kind.defaultSecretEnv,
            pollInterval: kind.defaultPollInterval, rateLimit: kind.defaultRateLimit,
            feed: kind == .alpaca ? SourceKind.defaultAlpacaFeed : nil,
            simulation: kind == .simulated ? .defaults : nil
        )
    }

    /// The source used when the file has no `[sources]` table: `sim`, simulated, seed 42.
    package static let simulatedDefault = defaults(id: .simulated, kind: .simulated)

    /// The API key from `environment[keyEnv]`; `nil` when not set or empty. Never log the result.
    package func apiKey(in environment: [String: String]) -> String? {
        Self.value(of: keyEnv, in: environment)
    }

    /// The API secret from `environment[secretEnv]`; `nil` when not set or empty. Never log the result.
    package func apiSecret(in environment: [String: String]) -> String? {
        Self.value(of: secretEnv, in: environment)
    }

    /// Sources that share this key with the same provider share one rate-limit budget.
    package var rateLimitAccount: String {
        "\(kind.rawValue):\(keyEnv ?? "-")"
    }

    /// Names of the credential variables this source needs that `environment` lacks (names only).
    public func missingCredentialVariables(in environment: [String: String]) -> [String] {
        [keyEnv, secretEnv].compactMap { name in
            guard let name, Self.value(of: name, in: environment) == nil else { return nil }
            return name
        }
    }

    private static func value(of name: String?, in environment: [String: String]) -> String? {
        guard let name, let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
