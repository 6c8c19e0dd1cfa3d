extension CollectorRuntime {
    /// The state's snapshot with the store writer's statistics attached (`MarketSnapshot.store`),
    /// so what the board draws comes in one value.
    public func snapshot() async -> MarketSnapshot {
        var snapshot = await state.snapshot()
        snapshot.store = writer.current
        snapshot.fleet = fleet?.fleet
        snapshot.store?.tape = tape?.statistics
        return snapshot
    }

    /// Puts the latest quotes stored by earlier runs into the state, so that the board's first
    /// frame shows the last known values while the sources start and the backfill runs (one read
    /// of the store's `latest_quotes`). Returns how many symbols got a value.
    package func restoreStoredQuotes() async throws -> Int {
        let stored = try await store.latestQuotes()
        return stored.isEmpty ? 0 : await state.restore(storedQuotes: stored)
    }
}
