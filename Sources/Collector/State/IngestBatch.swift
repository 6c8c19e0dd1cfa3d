/// One unit of work for the ingest pipeline: values from one source and the
/// health changes that came with them. The pipeline validates the values and applies
/// the accepted ones, the anomalies found and the health changes to `MarketState` in
/// one call (`MarketState.apply(accepted:anomalies:health:)`).
package struct IngestBatch: Sendable {
    package var origin: IngestOrigin
    /// Streamed or polled (live values only): order is checked per path.
    package var path: DeliveryPath
    package var events: [MarketEvent]
    package var health: [HealthFact]

    package init(
        origin: IngestOrigin = .live, path: DeliveryPath = .stream, events: [MarketEvent] = [],
        health: [HealthFact] = []
    ) {
        self.origin = origin
        self.path = path
        self.events = events
        self.health = health
    }
}
