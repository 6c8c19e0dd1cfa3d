/// Placeholder until the Yahoo client lands: no capabilities, so the factory shows it as not built.
public struct YahooSource: MarketDataSource {
    public let id: SourceID
    public var kind: String { "yahoo" }
    public var capabilities: SourceCapabilities { [] }

    public init(configuration: SourceConfiguration, client: ProviderClient) {
        id = configuration.id
    }
}
