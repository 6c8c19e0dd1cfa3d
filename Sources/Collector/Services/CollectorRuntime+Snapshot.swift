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
}
