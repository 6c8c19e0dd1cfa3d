import Collector
import CollectorTestSupport
import Foundation
import Testing

/// What `/healthz` answers for each state of the collector.
@Suite("Collector health (/healthz)")
struct CollectorHealthTests {
    /// A snapshot of two sources in the given states, with the store's statistics.
    private func snapshot(_ states: [HealthState], store: StoreWriterStatistics = StoreWriterStatistics()) async -> MarketSnapshot
    {
        let ids = [SourceID("sim"), SourceID("polygon")]
        var entries: [MarketState.SourceEntry] = []
        for (index, health) in states.enumerated() {
            entries.append(.init(id: ids[index], kind: ids[index].rawValue, priority: index + 1, state: health))
        }
        let state = MarketState(watchlist: [MarketFixtures.symbol("AAPL")], sources: entries, timeSource: FixedTimeSource())
        var snapshot = await state.snapshot()
        snapshot.store = store
        return snapshot
    }

    @Test func healthyWhileASourceIsUpOrStartingAndTheStoreWrites() async throws {
        var store = StoreWriterStatistics()
        store.rowsWritten = 12
        for states in [[HealthState.streaming, .down], [.starting], [.rateLimited, .disabled], [.degraded]] {
            let health = CollectorHealth(await snapshot(states, store: store), draining: false)
            #expect(health.status == .ok && health.httpStatus == 200 && health.reason == nil, "\(states)")
        }
        let health = CollectorHealth(await snapshot([.streaming, .down], store: store), draining: false)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(health.json.utf8)) as? [String: Any])
        #expect(body["status"] as? String == "ok")
        #expect(body["sources"] as? [String: String] == ["sim": "streaming", "polygon": "down"])
        #expect(body["rows_written"] as? Int == 12)
        #expect(health.json.hasSuffix("}\n") && health.json.filter { $0 == "\n" }.count == 1, "one line")
    }

    @Test func unhealthyWhenStoreWritesFailNamingSinceWhenAndWhy() async {
        var store = StoreWriterStatistics()
        store.failingSince = Timestamp(seconds: 1_767_225_600)
        store.failureCause = "disk full"
        store.rowsWaiting = 40
        let health = CollectorHealth(await snapshot([.streaming], store: store), draining: false)
        #expect(health.httpStatus == 503)
        #expect(health.reason == "store writes fail since 2026-01-01 00:00:00 UTC (disk full)")
        #expect(health.rowsWaiting == 40)
    }

    @Test func unhealthyWhileAFleetMembersRoundsFailForARenewal() async {
        var snapshot = await snapshot([.streaming])
        let since = Timestamp(seconds: 1_767_225_600)
        let standing = FleetStanding(failingSince: since, failure: "store unreachable", renewInterval: .seconds(5))
        snapshot.takenAt = since + .seconds(4)
        #expect(CollectorHealth(snapshot, draining: false, fleet: standing).httpStatus == 200, "not yet a renewal")
        snapshot.takenAt = since + .seconds(5)
        let health = CollectorHealth(snapshot, draining: false, fleet: standing)
        #expect(health.httpStatus == 503)
        #expect(health.reason == "cannot join the fleet: store unreachable since 2026-01-01 00:00:00 UTC")
        #expect(health.json.contains(#""fleet_symbols":0"#), "\(health.json)")
        #expect(!CollectorHealth(snapshot, draining: false).json.contains("fleet"), "outside a fleet: no fleet key")
    }

    @Test func unhealthyWhenEverySourceThatRunsIsDown() async {
        let health = CollectorHealth(await snapshot([.down, .circuitOpen]), draining: false)
        #expect(health.httpStatus == 503)
        #expect(health.reason == "every source is down (sim down, polygon circuit-open)")
        let none = CollectorHealth(await snapshot([.disabled, .noKey]), draining: false)
        #expect(none.httpStatus == 503)
        #expect(none.reason == "no configured source can run")
    }

    @Test func drainingAnswers503WhateverElseHolds() async {
        let health = CollectorHealth(await snapshot([.streaming]), draining: true)
        #expect(health.status == .draining && health.httpStatus == 503)
        #expect(health.reason?.hasPrefix("stopping after a signal") == true)
    }
}

@Suite("Listen address ([collect] listen, --listen)")
struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464), ("0.0.0.0:0", "0.0.0.0", 0), ("[::1]:9100", "::1", 9100),
        ("metrics.internal:80", "metrics.internal", 80)
    ])
    func reads(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host && address.port == port)
        #expect(address.description == text, "written back as read")
    }

    @Test(arguments: [
        ("9464", "expected host:port"), (":9464", "the host is missing"), ("127.0.0.1:", "the port must be"),
        ("127.0.0.1:65536", "the port must be"), ("::1:9464", "expected host:port"), ("[::1]9464", "[host]:port"),
        ("a b:1", "not a name or address")
    ])
    func refuses(text: String, says: String) {
        #expect {
            _ = try ListenAddress(parsing: text)
        } throws: { error in
            "\(error)".hasPrefix("'\(text)' is not a listen address: ") && "\(error)".contains(says)
        }
    }

    @Test func offTurnsTheEndpointOff() throws {
        let config = try ConfigLoader.parse("[collect]\nlisten = \"off\"\n", file: "c.toml")
        #expect(config.collect.listen == nil)
    }
}
