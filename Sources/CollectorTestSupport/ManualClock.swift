import Collector
import Synchronization

/// A clock that moves only when a test calls `advance(by:)`, so timed code
/// runs deterministically without real sleeps. It is also a `TimeSource`
/// whose wall time is `epoch` plus the time advanced so far.
package final class ManualClock: Clock, TimeSource, Sendable {
    /// A point on the manual clock: the time advanced since it was made.
    package struct Instant: InstantProtocol, Sendable, Hashable {
        package var offset: Duration

        package init(offset: Duration) { self.offset = offset }
        package func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        package func duration(to other: Instant) -> Duration { other.offset - offset }
        package static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    /// One task sleeping on the clock: what it waits for (its `SleepPurpose`, nil when the
    /// sleep was not named) and until when.
    package struct Sleep: Sendable, Hashable, CustomStringConvertible {
        package var purpose: String?
        package var deadline: Instant

        package init(purpose: String?, deadline: Instant) {
            self.purpose = purpose
            self.deadline = deadline
        }

        package var description: String { "\(purpose ?? "unnamed") until \(deadline.offset)" }
    }

    private struct Sleeper {
        var sleep: Sleep
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var offset = Duration.zero
        var sleepers: [Int: Sleeper] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    /// The wall time at offset zero.
    package let epoch: Timestamp
    private let state = Mutex(State())

    /// Starts at `epoch` (default 2026-03-02T15:00:00Z, a Monday in the US session).
    package init(epoch: Timestamp = Timestamp(seconds: 1_772_463_600)) {
        self.epoch = epoch
    }

    package var now: Instant { Instant(offset: state.withLock { $0.offset }) }
    package var minimumResolution: Duration { .nanoseconds(1) }

    /// The time advanced so far.
    package var elapsed: Duration { state.withLock { $0.offset } }

    /// How many tasks are sleeping on this clock.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The tasks sleeping on this clock now, earliest deadline first.
    package var sleeps: [Sleep] {
        state.withLock { $0.sleepers.values.map(\.sleep) }.sorted { $0.deadline < $1.deadline }
    }

    /// Suspends until `advance(by:)` reaches `deadline`; throws `CancellationError` if cancelled.
    /// The sleep carries the caller's `SleepPurpose`, so tests can wait for it by name.
    package func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let sleep = Sleep(purpose: SleepPurpose.current, deadline: deadline)
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Bool? in
                    if state.cancelled.remove(id) != nil { return false }
                    if deadline.offset <= state.offset { return true }
                    state.sleepers[id] = Sleeper(sleep: sleep, continuation: continuation)
                    return nil
                }
                switch outcome {
                case nil: break
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.cancelled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has passed, earliest first.
    package func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.offset += duration
            let offset = state.offset
            let ready = state.sleepers.filter { $0.value.sleep.deadline.offset <= offset }
            for id in ready.keys { state.sleepers[id] = nil }
            return ready.values.sorted { $0.sleep.deadline < $1.sleep.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits until a task sleeps for `purpose` (a `SleepPurpose` such as "poll ALPHAVANTAGE",
    /// "backoff ALPACA", "limiter"): the moment the service the test means has reached that
    /// wait, whatever else sleeps on the clock. Waits politely (see `wait(until:)`).
    package func waitForSleeper(named purpose: String) async {
        await waitForSleeper(describing: "a sleeper named \"\(purpose)\"") { $0.purpose == purpose }
    }

    /// Waits until a task sleeps for `purpose` until a moment still ahead: right after
    /// `advance(by:)`, the proof that the wait the test means has not ended, so the service
    /// behind it has not moved on (what a test checks before asserting that nothing happened).
    package func waitForPendingSleeper(named purpose: String) async {
        let now = self.now
        await waitForSleeper(describing: "a pending sleeper named \"\(purpose)\"") { $0.purpose == purpose && now < $0.deadline }
    }

    /// Waits until some task's sleep satisfies `matches` (evaluated under the clock's lock:
    /// it must not use the clock), politely (see `wait(until:)`).
    package func waitForSleeper(describing what: String = "a matching sleeper", where matches: @Sendable (Sleep) -> Bool) async {
        await Self.wait(
            until: { self.state.withLock { state in state.sleepers.values.contains { matches($0.sleep) } } },
            what: "\(what) (sleeping now: \(self.sleepingPurposes))")
    }

    /// The purposes of the tasks sleeping now, for a wait that gave up.
    private var sleepingPurposes: String {
        let purposes = state.withLock { $0.sleepers.values.map { $0.sleep.purpose ?? "unnamed" } }
        return purposes.isEmpty ? "none" : purposes.sorted().joined(separator: ", ")
    }

    /// Waits until some task sleeps until exactly `deadline` (a named moment: a poller's next
    /// round, say), or within `tolerance` of it (a rate limiter's refill time, computed in
    /// floating point), politely (see `wait(until:)`).
    package func waitForSleep(until deadline: Instant, within tolerance: Duration = .zero) async {
        await waitForSleeper(describing: "a sleeper until \(deadline.offset)") {
            abs(($0.deadline.offset - deadline.offset).nanosecondsValue) <= tolerance.nanosecondsValue
        }
    }

    /// Waits until `condition` holds: yielding at first, then pausing a millisecond between
    /// checks, so a wait on real I/O (a loopback server) does not spin and starve the threads
    /// that do that I/O. No assertion depends on it. Returns when cancelled (a safety limit
    /// that gave up on it), instead of spinning on a sleep that no longer sleeps. A wait that has
    /// not ended after `limit` of real time stops the test process naming `what` it waited for:
    /// a wait for a sleeper that never comes (a renamed purpose) would otherwise hang the whole
    /// run without a word.
    package static func wait(
        until condition: @Sendable () -> Bool, what: @autoclosure () -> String = "a condition",
        limit: Duration = .seconds(120)
    ) async {
        let started = ContinuousClock.now
        var checks = 0
        while !condition() && !Task.isCancelled {
            checks += 1
            if checks < 100 { await Task.yield() } else { try? await Task.sleep(for: .milliseconds(1)) }
            if checks % 1_000 == 0, ContinuousClock.now - started > limit {
                fatalError("ManualClock: waited \(limit) for \(what()); the test would hang")
            }
        }
    }
}

/// `TimeSource` conformance. It lives in a protocol extension because a type
/// cannot declare both `var now` (for `Clock`) and `func now()` itself.
extension TimeSource where Self == ManualClock {
    /// The wall time: `epoch` plus the time advanced so far.
    package func now() -> Timestamp { self.epoch + self.elapsed }
}
