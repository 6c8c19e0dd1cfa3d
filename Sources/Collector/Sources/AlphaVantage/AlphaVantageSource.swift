/// Placeholder until the AlphaVantage client lands: no capabilities, so the factory shows it as not built.
public struct AlphaVantageSource: MarketDataSource {
    public let id: SourceID
    public var kind: String { "alphavantage" }
    public var capabilities: SourceCapabilities { [] }

    public init(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) {
        id = configuration.id
    }
}
