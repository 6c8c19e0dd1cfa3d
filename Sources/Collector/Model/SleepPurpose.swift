/// What a task is waiting for while it sleeps on an injected clock ("poll ALPHAVANTAGE",
/// "backoff ALPACA", "limiter"): bound for the length of one sleep, so a test clock can tell
/// its sleepers apart and a test can wait for the one it means. Real clocks ignore it.
package enum SleepPurpose {
    @TaskLocal package static var current: String?
}

extension Clock {
    /// Sleeps until `deadline`, naming the wait (see `SleepPurpose`).
    package func sleep(until deadline: Instant, tolerance: Duration? = nil, purpose: String) async throws {
        try await SleepPurpose.$current.withValue(purpose) { try await sleep(until: deadline, tolerance: tolerance) }
    }

    /// Sleeps for `duration`, naming the wait (see `SleepPurpose`).
    package func sleep(for duration: Duration, purpose: String) async throws {
        try await sleep(until: now.advanced(by: duration), purpose: purpose)
    }
}
