/// Placeholder until the Alpaca client lands: no capabilities, so the factory shows it as not built.
public struct AlpacaSource: MarketDataSource {
    public let id: SourceID
    public var kind: String { "alpaca" }
    public var capabilities: SourceCapabilities { [] }

    public init(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) {
        id = configuration.id
    }
}
