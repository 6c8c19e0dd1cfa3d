import Synchronization

/// The one moment a graceful shutdown stops waiting for provider requests already sent: fixed
/// `ProviderRequests.drainDeadline` after the first service's drain began, and shared by every
/// service's drain after it (`ProviderRequests.draining`). The services stop one after another;
/// with a deadline each from its own turn, two of them holding a request would wait twice as
/// long as the board's quit notice promises (`DrainNotice`). A collector's registries share one.
package final class DrainDeadline: Sendable {
    /// Sleeps until the fixed moment, naming the sleep (nil until the first drain began).
    private let sleep = Mutex<(@Sendable (String) async throws -> Void)?>(nil)

    package init() {}

    /// Sleeps until the deadline on `clock`, fixing it now if no drain fixed it before.
    package func sleep(on clock: any Clock<Duration>, purpose: String) async throws {
        let until = sleep.withLock { sleep in
            if let sleep { return sleep }
            let fixed = Self.fix(on: clock)
            sleep = fixed
            return fixed
        }
        try await until(purpose)
    }

    private static func fix<C: Clock<Duration>>(on clock: C) -> @Sendable (String) async throws -> Void {
        let deadline = clock.now.advanced(by: ProviderRequests.drainDeadline)
        return { purpose in try await clock.sleep(until: deadline, purpose: purpose) }
    }
}
