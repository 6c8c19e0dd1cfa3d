import Collector
import CollectorTestSupport
import Testing

/// The manual clock the simulated-source tests drive time with.
@Suite struct SimulatedManualClockTests {
    @Test func sleepersWakeOnlyWhenTimeReachesTheirDeadline() async throws {
        let clock = ManualClock(epoch: Timestamp(seconds: 1000))
        let sleeper = Task { try await clock.sleep(for: .seconds(5), purpose: "nap") }
        await clock.waitForSleeper(named: "nap")
        clock.advance(by: .seconds(4))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
        #expect(clock.now() == Timestamp(seconds: 1005))
        #expect(clock.now.offset == .seconds(5))
        try await clock.sleep(until: clock.now.advanced(by: .seconds(-1)))
    }

    /// A test waits for the sleeper it means, by the name its service gives the wait, not for
    /// whichever task happens to sleep first.
    @Test func aNamedWaitIsMetOnlyByItsOwnSleeper() async throws {
        let clock = ManualClock()
        let unnamed = Task { try await clock.sleep(for: .seconds(1)) }
        await clock.waitForSleeper { $0.purpose == nil }
        let nap = Task { try await clock.sleep(for: .seconds(5), purpose: "nap") }
        await clock.waitForSleeper(named: "nap")
        #expect(
            clock.sleeps == [
                ManualClock.Sleep(purpose: nil, deadline: .init(offset: .seconds(1))),
                ManualClock.Sleep(purpose: "nap", deadline: .init(offset: .seconds(5)))
            ])
        clock.advance(by: .seconds(1))
        try await unnamed.value
        await clock.waitForPendingSleeper(named: "nap")
        #expect(clock.sleeps.map(\.purpose) == ["nap"], "the nap goes on past the first deadline")
        clock.advance(by: .seconds(4))
        try await nap.value
        #expect(clock.sleeps.isEmpty)
    }

    @Test func cancellingASleeperThrowsCancellationError() async {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(5), purpose: "nap") }
        await clock.waitForSleeper(named: "nap")
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    /// A wait for a sleeper that never comes (a purpose renamed in the code but not in the test)
    /// stops the test process with a message naming it, instead of hanging the whole run.
    @Test func aWaitThatNeverEndsStopsTheRunNamingWhatItWaitedFor() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let clock = ManualClock()
            let sleeper = Task { try await clock.sleep(for: .seconds(5), purpose: "backoff SIM") }
            await clock.waitForSleeper(named: "backoff SIM")
            await ManualClock.wait(
                until: { clock.sleeperCount == 2 }, what: "a second sleeper (sleeping now: backoff SIM)",
                limit: .milliseconds(50))
            sleeper.cancel()
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("ManualClock: waited 0.05 seconds for a second sleeper (sleeping now: backoff SIM)"), "\(message)")
    }
}
