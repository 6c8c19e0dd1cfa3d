/// One unit of work for the ingest pipeline: values from one source and the
/// health changes that came with them.
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

/// What the state actor applies in one call: validated values, the anomalies
/// found among them, and health changes.
public struct StateUpdate: Sendable {
    public var origin: IngestOrigin
    public var accepted: [MarketEvent]
    public var anomalies: [Anomaly]
    public var health: [HealthFact]

    public init(
        origin: IngestOrigin = .live, accepted: [MarketEvent] = [], anomalies: [Anomaly] = [],
        health: [HealthFact] = []
    ) {
        self.origin = origin
        self.accepted = accepted
        self.anomalies = anomalies
        self.health = health
    }
}
