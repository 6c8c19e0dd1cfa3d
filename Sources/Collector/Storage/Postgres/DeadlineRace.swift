import Synchronization

/// Awaits work that may ignore cancellation, with a deadline, and never waits for it longer:
/// postgres-nio's queries and connects wait for the server's answer whatever happens to their task,
/// so a task group's child would hold its caller until the server answers, perhaps never (a server
/// that stopped answering with the connection still open). The work runs in a task of its own,
/// which is cancelled at the deadline or when the caller is, and left to end by itself.
///
/// Work that changes the store waits on cancellation (`untilDoneWhenCancelled`): a write its caller
/// gave up on would otherwise still commit after the caller went on, beside the next write, a
/// retry of the same rows, the shutdown's last flush or the leaving fleet round (overlapping
/// transactions, rows stored after what followed them, a pooled connection held). Such work is
/// still left at the deadline: a server that does not answer cannot hold its caller longer.
enum DeadlineRace {
    /// The deadline passed before the work ended.
    struct Unanswered: Error {}

    /// The value of `body`; throws what it throws, `Unanswered` after `timeout`, or
    /// `CancellationError` when the calling task is cancelled first. With `untilDoneWhenCancelled`,
    /// a cancelled caller still waits for the work's own outcome (its value, or what it threw), up
    /// to the deadline: the caller learns whether the work happened.
    static func value<T: Sendable>(
        within timeout: Duration, untilDoneWhenCancelled: Bool = false, of body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        let work = outcome.settle(by: body)
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            outcome.settle(.failure(Unanswered()))
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            if untilDoneWhenCancelled {
                // Work not yet on the server (waiting for a pooled connection) stops here.
                work.cancel()
            } else {
                outcome.settle(.failure(CancellationError()))
            }
        }
    }

    /// The first result settled, handed to the one waiter (`ConnectionCloseWatch` races with it too).
    final class Outcome<T: Sendable>: Sendable {
        private struct State {
            var result: Result<T, any Error>?
            var waiter: CheckedContinuation<T, any Error>?
        }

        private let state = Mutex(State())

        /// Keeps `result` unless one was settled before, and resumes the waiter with it.
        func settle(_ result: Result<T, any Error>) {
            let waiter: CheckedContinuation<T, any Error>? = state.withLock { state in
                guard state.result == nil else { return nil }
                state.result = result
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(with: result)
        }

        /// Runs `body` in a task of its own that settles its value or error.
        func settle(by body: @escaping @Sendable () async throws -> T) -> Task<Void, Never> {
            Task {
                do {
                    settle(.success(try await body()))
                } catch {
                    settle(.failure(error))
                }
            }
        }

        func value() async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                let settled: Result<T, any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    state.waiter = continuation
                    return nil
                }
                if let settled { continuation.resume(with: settled) }
            }
        }
    }
}
