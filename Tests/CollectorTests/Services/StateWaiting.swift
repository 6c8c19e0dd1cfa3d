import Collector

extension MarketState {
    /// Waits for the first snapshot that satisfies `condition`. Tests bound the
    /// wait with `withSafetyLimit`, so a broken condition fails instead of hanging.
    func firstSnapshot(where condition: @Sendable (MarketSnapshot) -> Bool) async -> MarketSnapshot? {
        for await snapshot in snapshots() where condition(snapshot) { return snapshot }
        return nil
    }
}

struct SafetyLimitExceeded: Error {}

/// Runs `operation`, failing if it has not finished within a generous real-time
/// limit. Only a guard against hangs: no assertion depends on timing.
func withSafetyLimit<T: Sendable>(
    seconds: Int = 20, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw SafetyLimitExceeded() }
        return value
    }
}
