import Collector

/// A Polygon source aimed at a loopback server (see `ProviderHarness`).
typealias PolygonHarness = ProviderHarness<PolygonSource>

extension PolygonSource: HarnessedSource {
    static var harnessID: SourceID { "poly" }
    static var harnessKind: SourceKind { .polygon }
    static var harnessNow: String { "2024-03-05T16:00:00Z" }
    static func make(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) -> Self {
        Self(configuration: configuration, client: client, credentials: credentials)
    }
}
