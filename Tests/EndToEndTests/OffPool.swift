import Foundation

/// Runs blocking work (waiting for a child process, reading its pipes, running tmux) on a
/// thread of its own and awaits the result. Swift concurrency shares a thread per core with
/// every test running at the same time; blocking one of them stalls unrelated tests.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}

/// `offPool` for work that throws.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await offPool { Result { try work() } }.get()
}
