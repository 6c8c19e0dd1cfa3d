import ServiceLifecycle

/// What the collectors share: run `work` for the current watched symbols and
/// restart it whenever the set changes, until graceful shutdown; and sleep on
/// the injected clock, waking early on graceful shutdown.
enum SymbolSetFollower {
    /// One `work` task at a time. (A task group cannot be reused after
    /// cancelAll(), so each run is a task of its own; it inherits the
    /// graceful-shutdown context.)
    /// On graceful shutdown the last `work` is left to end by itself (a poller finishes the
    /// request it has sent: `ProviderRequests.draining`), unless this task is cancelled.
    static func follow(_ watched: WatchedSymbols, _ work: @escaping @Sendable ([Symbol]) async -> Void) async {
        var current: Task<Void, Never>?
        await watched.follower().forEach { symbols in
            current?.cancel()
            await current?.value
            current = Task { await work(symbols) }
        }
        guard let last = current else { return }
        if !Task.isShuttingDownGracefully { last.cancel() }
        await withTaskCancellationHandler {
            await last.value
        } onCancel: {
            last.cancel()
        }
    }

    /// Sleeps for `delay` on `clock`; throws when cancelled or on graceful shutdown.
    static func sleep(for delay: Duration, on clock: any Clock<Duration>, purpose: String) async throws {
        guard delay > .zero else { return }
        try await cancelWhenGracefulShutdown {
            try await clock.sleep(for: delay, purpose: purpose)
        }
    }
}
