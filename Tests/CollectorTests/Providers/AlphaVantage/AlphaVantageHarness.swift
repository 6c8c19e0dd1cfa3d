import Collector

/// An Alpha Vantage source aimed at a loopback server (see `ProviderHarness`).
typealias AlphaVantageHarness = ProviderHarness<AlphaVantageSource>

extension AlphaVantageSource: HarnessedSource {
    static var harnessID: SourceID { "av" }
    static var harnessKind: SourceKind { .alphavantage }
    static var harnessNow: String { "2024-03-06T15:00:00Z" }
    static func make(configuration: SourceConfiguration, client: ProviderClient, credentials: ProviderCredentials) -> Self {
        Self(configuration: configuration, client: client, credentials: credentials)
    }
}
