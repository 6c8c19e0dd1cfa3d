import Synchronization

/// The round trips of the provider requests made inside `measure`, from when each request was
/// sent (after any wait for our own rate limiter) to when its answer or failure came back. A
/// poller reports latency from these: the wall time around a call would count the limiter's
/// pacing as the provider's slowness. Sources that make no request through `ProviderClient`
/// (simulated, scripted) leave it empty, and the caller falls back to the time around the call.
package final class RequestTimings: Sendable {
    @TaskLocal package static var current: RequestTimings?

    private let durations = Mutex<[Duration]>([])

    init() {}

    /// Runs `body` with its requests timed; returns what it returned and the timings.
    package static func measure<T: Sendable>(
        _ body: () async throws -> T, isolation: isolated (any Actor)? = #isolation
    ) async throws -> (T, RequestTimings) {
        let timings = RequestTimings()
        let value = try await $current.withValue(timings, operation: body, isolation: isolation)
        return (value, timings)
    }

    /// Notes a request's round trip (called by `ProviderClient.send`).
    package func record(_ duration: Duration) { durations.withLock { $0.append(duration) } }

    /// The slowest round trip, or nil when no request was timed.
    package var slowest: Duration? { durations.withLock { $0.max() } }
}
