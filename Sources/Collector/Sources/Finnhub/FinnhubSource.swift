/// Placeholder until the Finnhub client lands: no capabilities, so the factory shows it as not built.
public struct FinnhubSource: MarketDataSource {
    public let id: SourceID
    public var kind: String { "finnhub" }
    public var capabilities: SourceCapabilities { [] }

    public init(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) {
        id = configuration.id
    }
}
