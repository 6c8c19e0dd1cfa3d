/// The live streams of configured sources.
extension ProviderFactory {
    /// The live streams a configured source has, each to run for `symbols` or with why not:
    /// Alpaca's stock stream and, as a second connection, its crypto stream; Polygon's and
    /// Finnhub's stock stream. A stream runs when `stream = true`, the source's key (and secret)
    /// is set and one of `symbols` is on it. The simulated market and a replay have one
    /// in-process stream of all their symbols, which always runs. Disabled sources and kinds
    /// without a stream have none.
    public func streams(for configuration: SourceConfiguration, symbols: [Symbol]) -> [StreamSetup] {
        guard configuration.enabled else { return [] }
        if configuration.kind == .simulated || configuration.kind == .replay {
            return [
                StreamSetup(
                    market: .all, name: "stream-\(configuration.id.rawValue)", shownURL: InProcessStreamProvider.url,
                    isInProcess: true)
            ]
        }
        let credentials = ProviderCredentials(
            key: configuration.apiKey(in: environment), secret: configuration.apiSecret(in: environment))
        let missing = configuration.missingCredentialVariables(in: environment)
        return Self.streamURLs(of: configuration).map { market, url in
            let name = "live-\(configuration.id.rawValue)" + (market == .crypto ? "-crypto" : "")
            var setup = StreamSetup(market: market, name: name, shownURL: url)
            guard configuration.streamEnabled else {
                setup.offReason = "stream = false in the configuration"
                return setup
            }
            guard missing.isEmpty else {
                setup.offReason = "no key: set \(missing.joined(separator: " and ")) in the environment"
                return setup
            }
            let provider = Self.streamProvider(configuration, market: market, url: url, credentials: credentials)
            setup.shownURL = provider.redactor.redact(url: provider.url)
            guard symbols.contains(where: provider.serves) else {
                setup.offReason = "no \(market.symbolsName) in the watchlist"
                return setup
            }
            setup.provider = provider
            return setup
        }
    }

    /// The stream URLs the source's configuration names, by market.
    private static func streamURLs(of configuration: SourceConfiguration) -> [(StreamSetup.Market, String)] {
        switch configuration.kind {
        case .alpaca:
            [(.stocks, configuration.streamURL), (.crypto, configuration.cryptoStreamURL)].compactMap { market, url in
                url.map { (market, $0) }
            }
        case .polygon, .finnhub:
            configuration.streamURL.map { [(.stocks, $0)] } ?? []
        case .simulated, .replay, .yahoo, .alphavantage:
            []
        }
    }

    private static func streamProvider(
        _ configuration: SourceConfiguration, market: StreamSetup.Market, url: String, credentials: ProviderCredentials
    ) -> any StreamProvider {
        switch configuration.kind {
        case .polygon:
            PolygonStream(id: configuration.id, url: url, key: credentials.key ?? "")
        case .finnhub:
            FinnhubStream(id: configuration.id, baseURL: url, key: credentials.key ?? "")
        default:
            AlpacaStream(id: configuration.id, url: url, credentials: credentials, crypto: market == .crypto)
        }
    }
}
