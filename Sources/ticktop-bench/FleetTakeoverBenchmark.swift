import Collector
import Foundation
import Logging

/// Takeover time of the collector fleet on a real clock and a real PostgreSQL server: three
/// collectors split 300 symbols; one is killed (its rounds stop without a hand-over, as after
/// SIGKILL) and the time until the two others hold all its symbols is measured; then one drains
/// (graceful hand-over, as `run` ends) and the time until the last one collects everything. Needs the
/// URL in `TICKTOP_BENCH_POSTGRES_URL` or `TICKTOP_TEST_POSTGRES_URL`; a schema of its own, dropped after.
enum FleetTakeoverBenchmark {
    static func run(ttlSeconds: Int) async throws -> [BenchmarkResult] {
        let environment = ProcessInfo.processInfo.environment
        guard let text = PostgresStoreBenchmark.variables.lazy.compactMap({ environment[$0] }).first(where: { !$0.isEmpty })
        else {
            return [
                BenchmarkResult(
                    name: "fleet-takeover", count: 0, seconds: 0,
                    note: "skipped: set \(PostgresStoreBenchmark.variables[0]) (or run eval \"$(.ci/postgres start)\")")
            ]
        }
        let url = try PostgresURL(text)
        let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let settings = FleetConfiguration(leaseTTL: .seconds(ttlSeconds))
        let watchlist = try (0..<300).map { try Symbol("S\($0)") }
        var logger = Logger(label: "ticktop-bench.fleet")
        logger.logLevel = .error
        let clock = ContinuousClock()
        let time = SystemTimeSource()
        var stores: [PostgresStore] = []
        var coordinators: [FleetCoordinator] = []
        for index in 0..<3 {
            let store = try PostgresStore(url: url, tls: .disable, schema: schema, logger: logger)
            let member = FleetMember(
                id: "bench-\(index)", host: "bench", pid: index, version: "bench", startedAt: time.now(), heartbeatAt: time.now(),
                watchlist: watchlist)
            stores.append(store)
            coordinators.append(
                FleetCoordinator(
                    member: member, store: store, settings: settings, clock: clock, timeSource: time, logger: logger,
                    apply: { _ in }))
        }
        // The first two run bare rounds, so that one can be killed (no hand-over) and the other drained
        // by hand (`leave`, as `run` ends on graceful shutdown); the last runs as a service does,
        // hearing of lease moves by NOTIFY.
        let loops = coordinators.prefix(2).map { coordinator in
            Task {
                while !Task.isCancelled {
                    await coordinator.round()
                    try? await Task.sleep(for: settings.renewInterval)
                }
            }
        }
        let last = Task { [last = coordinators[2]] in await last.run() }
        func waitUntil(_ done: () -> Bool) async throws -> Duration {
            let start = clock.now
            while !done() {
                guard clock.now - start < settings.leaseTTL * 4 else { throw Stalled() }
                try await Task.sleep(for: .milliseconds(20))
            }
            return clock.now - start
        }
        // All three hold their share first.
        _ = try await waitUntil { coordinators.allSatisfy { $0.held.count == 100 } }

        let killed = coordinators[0].held.count
        loops[0].cancel()
        // Taken over: every lease held, none by the killed one (the round that moved them also told
        // the others by NOTIFY; the bare loop here hears of it only at its own next round).
        let killStart = clock.now
        while true {
            let leases = try await stores[0].fleetLeases()
            if leases.count == watchlist.count, leases.values.allSatisfy({ $0.holder != nil && $0.holder != "bench-0" }) { break }
            guard clock.now - killStart < settings.leaseTTL * 4 else { throw Stalled() }
            try await Task.sleep(for: .milliseconds(20))
        }
        let takeover = clock.now - killStart
        _ = try await waitUntil { coordinators[1].held.count + coordinators[2].held.count == watchlist.count }

        // A drain: the hand-over is one transaction, and the last collector hears of it (NOTIFY).
        let handedOver = coordinators[1].held.count
        loops[1].cancel()
        let drainStart = clock.now
        await coordinators[1].leave()
        _ = try await waitUntil { coordinators[2].held.count == watchlist.count }
        let handover = clock.now - drainStart
        last.cancel()
        await last.value
        for store in stores.dropFirst() { await store.close() }
        try await stores[0].dropSchema()

        let renew = DurationParser.format(settings.renewInterval)
        return [
            BenchmarkResult(
                name: "fleet-takeover", count: killed, seconds: takeover.secondsValue,
                note: "leases of a killed collector taken over in the store; lease_ttl \(ttlSeconds)s, renew_every \(renew); "
                    + "goal under TTL + 5 s"),
            BenchmarkResult(
                name: "fleet-handover", count: handedOver, seconds: handover.secondsValue,
                note: "symbols of a draining collector collected by the last one (told at once by NOTIFY)")
        ]
    }

    struct Stalled: Error, CustomStringConvertible {
        var description: String { "the fleet did not settle within four lease TTLs" }
    }
}
