import CollectorTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import Collector

extension ConfigurationTests {
    /// `[fleet]`: the lease TTL and how often a collector renews.
    @Suite struct FleetConfigTests {
        @Test func theTTLIsReadAndTheRenewalDefaultsToAThirdOfIt() throws {
            #expect(TicktopConfiguration.defaults.fleet.leaseTTL == .seconds(15))
            #expect(TicktopConfiguration.defaults.fleet.renewInterval == .seconds(5))
            let config = try ConfigLoader.parse("[fleet]\nlease_ttl = \"30s\"\n", file: "in.toml")
            #expect(config.fleet.leaseTTL == .seconds(30) && config.fleet.renewInterval == .seconds(10))
            #expect(try ConfigLoader.parse(config.tomlText, file: "printed.toml") == config)
            let renewing = try ConfigLoader.parse("[fleet]\nlease_ttl = \"30s\"\nrenew_every = \"2s\"\n", file: "in.toml")
            #expect(renewing.fleet.renewInterval == .seconds(2))
            #expect(try ConfigLoader.parse(renewing.tomlText, file: "printed.toml") == renewing)
        }

        @Test func aFleetNeedsThePostgreSQLStore() {
            #expect {
                try CollectorRuntime(
                    configuration: TicktopConfiguration(store: StoreConfiguration(kind: .memory)), symbols: [],
                    databasePath: nil, faults: [:], clock: ContinuousClock(), timeSource: SystemTimeSource(), environment: [:],
                    fleet: FleetIdentity(id: "desk:1", host: "desk", pid: 1, version: "0.1.0"), logger: Logger(label: "test"))
            } throws: { error in
                String(describing: error).contains("a collector fleet shares a PostgreSQL store: set [store] kind = \"postgres\"")
            }
        }

        /// In a fleet the coordinator is the first service (it stops last: it leaves once the writer
        /// has flushed) and its drain notice the last (it hears the shutdown first: the fleet gives
        /// this collector nothing new while the other services stop). Nothing is connected here.
        @Test func theCoordinatorStopsLastAndItsDrainNoticeHearsTheShutdownFirst() throws {
            let home = try TemporaryDirectory()
            let store = try PostgresStore(url: PostgresURL("postgres://ticktop@127.0.0.1:1/none"), tls: .disable)
            let runtime = try CollectorRuntime(
                configuration: TicktopConfiguration(store: StoreConfiguration(kind: .postgres)), symbols: [],
                databasePath: nil, faults: [:], clock: ContinuousClock(), timeSource: SystemTimeSource(),
                environment: ["HOME": home.url.path, "XDG_STATE_HOME": home.path("state")],
                fleet: FleetIdentity(id: "desk:1", host: "desk", pid: 1, version: "0.1.0"), logger: .quiet(),
                openedStore: store)
            #expect(runtime.services.first?.serviceName == "fleet")
            #expect(runtime.services.last?.serviceName == "fleet-drain")
        }

        static let refused: [(String, String)] = [
            ("[fleet]\nlease_ttl = \"10s\"\nrenew_every = \"10s\"\n", "must be shorter than lease_ttl (10s)"),
            ("[fleet]\nlease_ttl = \"soon\"\n", "fleet.lease_ttl"),
            ("[fleet]\nttl = \"15s\"\n", "ttl")
        ]

        @Test(arguments: refused)
        func aBadSettingNamesItsKeyAndLine(text: String, expected: String) {
            #expect {
                try ConfigLoader.parse(text, file: "in.toml")
            } throws: { error in
                let message = String(describing: error)
                return message.contains(expected) && message.contains("in.toml:")
            }
        }
    }
}
