/// One unit of work for the ingest pipeline: values from one source and the
/// health changes that came with them. The pipeline validates the values and applies
/// the accepted ones, the anomalies found and the health changes to `MarketState` in
/// one call (`MarketState.apply(accepted:anomalies:health:)`).
public struct IngestBatch: Sendable {
    public var origin: IngestOrigin
    /// Streamed or polled (live values only): order is checked per path.
    public var path: DeliveryPath
    public var events: [MarketEvent]
    public var health: [HealthFact]

    public init(
        origin: IngestOrigin = .live, path: DeliveryPath = .stream, events: [MarketEvent] = [],
        health: [HealthFact] = []
    ) {
        self.origin = origin
        self.path = path
        self.events = events
        self.health = health
    }
}
