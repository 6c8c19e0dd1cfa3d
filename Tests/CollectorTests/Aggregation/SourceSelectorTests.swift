import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Source selector")
struct SourceSelectorTests {
    let aapl = F.symbol("AAPL")
    let settings = SourceSelector.Settings(holdTime: .seconds(10), returnAfter: .seconds(30))

    /// Candidates for a primary and a backup; `primaryUsable` says whether the primary may be shown.
    func candidates(primaryUsable: Bool, backupUsable: Bool = true, at now: Timestamp) -> [SourceSelector.Candidate] {
        [
            .init(
                source: "primary", quote: F.quote(source: "primary", at: now), usable: primaryUsable,
                reason: primaryUsable ? nil : "stale 61s"),
            .init(
                source: "backup", quote: F.quote(source: "backup", at: now), usable: backupUsable,
                reason: backupUsable ? nil : "down")
        ]
    }

    @Test func failsOverAtOnceAndReturnsAfterRecovery() {
        var selector = SourceSelector(settings: settings)
        var now = F.baseTime
        var (chosen, change) = selector.select(aapl, from: candidates(primaryUsable: true, at: now), at: now)
        #expect(chosen == "primary")
        #expect(change?.reason == "first value" && change?.isFailover == false)

        // The primary stalls: fail over at once, with the reason.
        now = now + .seconds(61)
        (chosen, change) = selector.select(aapl, from: candidates(primaryUsable: false, at: now), at: now)
        #expect(chosen == "backup")
        #expect(
            change == .init(symbol: aapl, from: "primary", to: "backup", reason: "PRIMARY stale 61s", at: now, isFailover: true))

        // The primary recovers: stay on the backup until it has been usable for 30 s.
        for seconds in stride(from: 1, through: 29, by: 7) {
            let t = now + .seconds(Int64(seconds))
            (chosen, change) = selector.select(aapl, from: candidates(primaryUsable: true, at: t), at: t)
            #expect(chosen == "backup" && change == nil, "at +\(seconds)s")
        }
        let back = now + .seconds(31)
        (chosen, change) = selector.select(aapl, from: candidates(primaryUsable: true, at: back), at: back)
        #expect(chosen == "primary")
        #expect(change?.isFailover == false)
        #expect(change?.reason == "PRIMARY usable again for 30s")
    }

    @Test func intermittentFailuresDoNotFlap() {
        // The primary is unusable one evaluation in three (every third request fails).
        var selector = SourceSelector(settings: settings)
        var now = F.baseTime
        var switches = 0
        for step in 0..<60 {
            now = now + .seconds(2)
            let (_, change) = selector.select(aapl, from: candidates(primaryUsable: step % 3 != 2, at: now), at: now)
            if change != nil { switches += 1 }
        }
        // First choice, then one failover at the first failure; the primary never
        // stays usable for 30 s, so there is no return and no flapping.
        #expect(switches == 2)
        #expect(selector.current(aapl) == "backup")
    }

    @Test func holdTimeStopsAQuickVoluntarySwitch() {
        var selector = SourceSelector(settings: .init(holdTime: .seconds(60), returnAfter: .seconds(5)))
        var now = F.baseTime
        _ = selector.select(aapl, from: candidates(primaryUsable: false, at: now), at: now)
        #expect(selector.current(aapl) == "backup")
        now = now + .seconds(10)
        _ = selector.select(aapl, from: candidates(primaryUsable: true, at: now), at: now)
        now = now + .seconds(10)
        let (chosen, change) = selector.select(aapl, from: candidates(primaryUsable: true, at: now), at: now)
        #expect(chosen == "backup" && change == nil, "usable long enough, but the backup was chosen only 20 s ago")
        now = now + .seconds(41)
        #expect(selector.select(aapl, from: candidates(primaryUsable: true, at: now), at: now).0 == "primary")
    }

    @Test func aSourceThatMerelyAnsweredFirstYieldsAtOnce() {
        var selector = SourceSelector(settings: settings)
        let now = F.baseTime
        let backupOnly = [SourceSelector.Candidate(source: "backup", quote: F.quote(source: "backup", at: now), usable: true)]
        #expect(selector.select(aapl, from: backupOnly, at: now).0 == "backup")
        let (chosen, change) = selector.select(
            aapl, from: candidates(primaryUsable: true, at: now + .seconds(1)), at: now + .seconds(1))
        #expect(chosen == "primary", "no hysteresis when nothing failed")
        #expect(change?.reason == "PRIMARY answered")
    }

    @Test func keepsTheLastKnownGoodWhenNothingIsUsable() {
        var selector = SourceSelector(settings: settings)
        let now = F.baseTime
        _ = selector.select(aapl, from: candidates(primaryUsable: true, at: now), at: now)
        let later = now + .seconds(120)
        let (chosen, change) = selector.select(
            aapl, from: candidates(primaryUsable: false, backupUsable: false, at: later), at: later)
        #expect(chosen == "primary", "no usable source: the shown one stays")
        #expect(change == nil)
    }
}

@Suite("Consensus checker")
struct ConsensusCheckerTests {
    func quote(_ source: SourceID, mid: Double, spread: Double = 0.02, at offset: Int64 = 0) -> Quote {
        F.quote(source: source, bid: mid - spread / 2, ask: mid + spread / 2, last: mid, at: F.baseTime + .seconds(offset))
    }

    @Test func twoPercentOffDisagreesFivePointsDoesNot() {
        let checker = ConsensusChecker(toleranceBasisPoints: 50)
        let off = checker.disagreements(among: [quote("a", mid: 100), quote("b", mid: 100.01), quote("c", mid: 102)])
        #expect(off.map(\.source) == ["c"])
        #expect(abs((off.first?.basisPoints ?? 0) - 198.98) < 0.01, "measured from the median of all three, 100.01")
        #expect(checker.disagreements(among: [quote("a", mid: 100), quote("b", mid: 100.01), quote("c", mid: 100.05)]).isEmpty)
    }

    @Test func twoSourcesAreBothNamed() {
        let found = ConsensusChecker().disagreements(among: [quote("a", mid: 100), quote("b", mid: 102)])
        #expect(found.map(\.source) == ["a", "b"])
    }

    @Test func wideSpreadsAndOldQuotesGetMoreRoom() {
        let checker = ConsensusChecker(toleranceBasisPoints: 50, spreadAllowance: 0.5, basisPointsPerSecondOfAge: 2)
        // 1% apart: too far with tight quotes...
        #expect(!checker.disagreements(among: [quote("a", mid: 100), quote("b", mid: 101)]).isEmpty)
        // ...but not with 2% wide quotes (allowance 0.5 x 200 bps = 100 bps).
        #expect(checker.disagreements(among: [quote("a", mid: 100, spread: 2), quote("b", mid: 101, spread: 2)]).isEmpty)
        // ...nor when one quote is 30 s older (allowance 60 bps).
        #expect(checker.disagreements(among: [quote("a", mid: 100, at: -30), quote("b", mid: 101)]).isEmpty)
    }

    @Test func oneSourceHasNothingToCompare() {
        #expect(ConsensusChecker().disagreements(among: [quote("a", mid: 100)]).isEmpty)
    }
}
