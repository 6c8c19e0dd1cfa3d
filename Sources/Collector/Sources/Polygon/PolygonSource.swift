/// Placeholder until the Polygon client lands: no capabilities, so the factory shows it as not built.
public struct PolygonSource: MarketDataSource {
    public let id: SourceID
    public var kind: String { "polygon" }
    public var capabilities: SourceCapabilities { [] }

    public init(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) {
        id = configuration.id
    }
}
