import CollectorTestSupport
import Foundation
import Logging
import MetricsTestKit
import Testing

@testable import Collector

/// When a fleet member counts as out of its fleet (`FleetStanding`), and a coordinator whose store
/// cannot be reached says so (no PostgreSQL server needed: nothing listens on port 1).
@Suite("Fleet standing")
struct FleetStandingTests {
    static let since = Timestamp(seconds: 1_767_225_600)  // 2026-01-01 00:00:00 UTC

    @Test func oneFailedRoundIsNotEnoughARenewalOfFailuresIs() {
        let standing = FleetStanding(
            lastRoundAt: Self.since - .seconds(5), failingSince: Self.since, failure: "store unreachable", held: 3,
            renewInterval: .seconds(5))
        #expect(standing.problem(at: Self.since) == nil, "its retry a renewal later may work")
        #expect(standing.problem(at: Self.since + .milliseconds(4_999)) == nil)
        #expect(
            standing.problem(at: Self.since + .seconds(5))
                == "fleet rounds failing since 2026-01-01 00:00:00 UTC (store unreachable)")
        let working = FleetStanding(lastRoundAt: Self.since, held: 3, renewInterval: .seconds(5))
        #expect(working.problem(at: Self.since + .seconds(3_600)) == nil, "rounds that work are never a problem")
    }

    @Test func aCollectorThatNeverJoinedCannotJoinTheFleet() {
        let standing = FleetStanding(failingSince: Self.since, failure: "store unreachable", renewInterval: .seconds(1))
        #expect(
            standing.problem(at: Self.since + .seconds(2))
                == "cannot join the fleet: store unreachable since 2026-01-01 00:00:00 UTC")
    }

    @Test func theDrainSaysWhyAMemberThatNeverJoinedOrCouldNotLeaveExitsOne() {
        let never = FleetStanding(failingSince: Self.since, failure: "store unreachable", renewInterval: .seconds(5))
        let expected =
            "this collector never joined the fleet (store unreachable since 2026-01-01 00:00:00 UTC): it collected nothing"
        #expect(never.leaveProblem == expected)
        var stuck = never
        stuck.lastRoundAt = Self.since - .seconds(5)
        #expect(stuck.leaveProblem?.hasPrefix("this collector could not leave the fleet (store unreachable since ") == true)
        #expect(FleetStanding(lastRoundAt: Self.since, renewInterval: .seconds(5)).leaveProblem == nil, "it left")
    }

    /// The coordinator's rounds against a store that refuses connections: the first failure starts
    /// the count, the retry a renewal later makes `/healthz` unhealthy, the metrics count both.
    @Test func aCoordinatorWhoseStoreRefusesConnectionsCannotJoin() async throws {
        let clock = ManualClock()
        let log = LogCapture()
        let factory = TestMetrics()
        let store = try PostgresStore(
            url: try PostgresURL("postgres://ticktop:pw-hunter55@127.0.0.1:1/ticktop?sslmode=disable"), tls: .disable,
            timeSource: clock, logger: log.logger(level: .warning))
        let member = FleetMember(
            id: "c0", host: "host0", pid: 100, version: "0.1.0", startedAt: clock.now(), heartbeatAt: clock.now(),
            sources: [.simulated], watchlist: [MarketFixtures.symbol("AAPL")])
        let coordinator = FleetCoordinator(
            member: member, store: store, settings: FleetConfiguration(leaseTTL: .seconds(15), renewEvery: .seconds(5)),
            clock: clock, timeSource: clock, logger: log.logger(),
            metrics: CollectorMetrics(factory: factory)
        ) { _ in Issue.record("nothing is held") }
        let started = clock.now()
        await coordinator.round()
        #expect(coordinator.standing.failingSince == started && coordinator.standing.lastRoundAt == nil)
        #expect(coordinator.standing.failure == "store unreachable")
        #expect(coordinator.standing.problem(at: clock.now()) == nil, "one failed round")
        #expect(log.text.contains("fleet: round failed, retried every 5s"), "\(log.text)")

        clock.advance(by: .seconds(5))
        await coordinator.round()
        #expect(coordinator.standing.failingSince == started, "counted from the first failure")
        let expected = "cannot join the fleet: store unreachable since \(started.utcDateText) \(started.clockText) UTC"
        #expect(coordinator.standing.problem(at: clock.now()) == expected)
        #expect(log.text.contains("fleet: \(expected); /healthz answers 503 until a round works"), "said once /healthz says it")
        clock.advance(by: .seconds(5))
        await coordinator.round()
        #expect(log.all.filter { $0.contains("cannot join the fleet") }.count == 1, "said once, not per round")
        #expect(try factory.expectCounter(CollectorMetrics.Name.fleetRoundFailures).totalValue == 3)
        #expect(log.all.filter { $0.contains("round failed") }.count == 1, "logged once, not per round")
        #expect(!log.text.contains("hunter55"))
        await store.close()
    }
}
