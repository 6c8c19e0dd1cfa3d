/// Placeholder until the replay source lands: no capabilities, so the factory shows it as not built.
public struct ReplaySource: MarketDataSource {
    public let id: SourceID
    public var kind: String { "replay" }
    public var capabilities: SourceCapabilities { [] }

    public init(configuration: SourceConfiguration, clock: any Clock<Duration>, timeSource: any TimeSource) throws {
        id = configuration.id
    }
}
