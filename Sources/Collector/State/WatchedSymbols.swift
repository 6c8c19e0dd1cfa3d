/// The symbols the collector gathers, which the UI may change at run time.
/// Collectors follow `updates()` and resubscribe when the set changes.
public actor WatchedSymbols {
    public private(set) var symbols: [Symbol]
    private var continuations: [Int: AsyncStream<[Symbol]>.Continuation] = [:]
    private var nextID = 0

    public init(_ symbols: [Symbol]) {
        self.symbols = symbols
    }

    /// Replaces the set; followers get it unless it is unchanged.
    public func set(_ newSymbols: [Symbol]) {
        guard newSymbols != symbols else { return }
        symbols = newSymbols
        for continuation in continuations.values { continuation.yield(newSymbols) }
    }

    /// The current set, then every change (a slow follower gets only the newest).
    public func updates() -> AsyncStream<[Symbol]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [Symbol].self, bufferingPolicy: .bufferingNewest(1))
        nextID += 1
        let id = nextID
        continuations[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.remove(id) }
        }
        continuation.yield(symbols)
        return stream
    }

    private func remove(_ id: Int) {
        continuations[id] = nil
    }
}
