import CollectorTestSupport
import Synchronization
import Testing

@testable import Collector

/// The race between work that ignores cancellation (postgres-nio's queries) and its deadline:
/// a cancelled caller leaves a read at once, but waits for a write's own outcome, so that the
/// write never goes on beside what its caller does next.
@Suite("Deadline race", .timeLimit(.minutes(1)))
struct DeadlineRaceTests {
    /// Work that, like a postgres-nio query, ignores cancellation: it starts, then ends only
    /// when the test opens its gate.
    final class GatedWork: Sendable {
        private struct State {
            var started = false
            var ended = false
            var gate: CheckedContinuation<Void, Never>?
            var open = false
        }

        private let state = Mutex(State())

        var started: Bool { state.withLock { $0.started } }
        var ended: Bool { state.withLock { $0.ended } }

        func run() async -> Int {
            await withCheckedContinuation { continuation in
                let open = state.withLock { state in
                    state.started = true
                    if !state.open { state.gate = continuation }
                    return state.open
                }
                if open { continuation.resume() }
            }
            state.withLock { $0.ended = true }
            return 42
        }

        func open() {
            let gate = state.withLock { state in
                state.open = true
                defer { state.gate = nil }
                return state.gate
            }
            gate?.resume()
        }
    }

    @Test func aCancelledWriteWaitsForTheWorkAndReturnsWhatItDid() async throws {
        let work = GatedWork()
        let caller = Task {
            try await DeadlineRace.value(within: .seconds(60), untilDoneWhenCancelled: true) { await work.run() }
        }
        await ManualClock.wait(until: { work.started }, what: "the work started")
        caller.cancel()
        // The caller was cancelled while the work was under way: the work ends afterwards.
        work.open()
        let value = try await caller.value
        #expect(value == 42, "the caller learns that the work happened")
        #expect(work.ended)
    }

    @Test func aCancelledReadIsLeftAtOnce() async throws {
        let work = GatedWork()
        let caller = Task { try await DeadlineRace.value(within: .seconds(60)) { await work.run() } }
        await ManualClock.wait(until: { work.started }, what: "the work started")
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(!work.ended, "the read is still waiting for its answer")
        work.open()
    }

    @Test func aWriteIsStillLeftAtTheDeadline() async throws {
        let work = GatedWork()
        let caller = Task {
            try await DeadlineRace.value(within: .milliseconds(50), untilDoneWhenCancelled: true) { await work.run() }
        }
        await ManualClock.wait(until: { work.started }, what: "the work started")
        caller.cancel()
        await #expect(throws: DeadlineRace.Unanswered.self) { try await caller.value }
        #expect(!work.ended)
        work.open()
    }
}
