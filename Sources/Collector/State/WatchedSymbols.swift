import Synchronization

/// The symbols the collector gathers, which the UI may change at run time: the one home of the
/// watchlist. `MarketState` owns one (`MarketState.watched`) and changes it in `setWatchlist`;
/// the state reads it for its snapshots, and collectors follow `updates()`, resubscribing when
/// the set changes.
package final class WatchedSymbols: Sendable {
    private struct Followers {
        var symbols: [Symbol]
        /// How many times each symbol has come into the set (1 for those it started with).
        var arrivals: [Symbol: Int]
        var continuations: [Int: AsyncStream<[Symbol]>.Continuation] = [:]
        var nextID = 0
    }

    private let followers: Mutex<Followers>

    package init(_ symbols: [Symbol]) {
        followers = Mutex(Followers(symbols: symbols, arrivals: Dictionary(symbols.map { ($0, 1) }) { first, _ in first }))
    }

    /// The current set, in display order.
    package var symbols: [Symbol] { followers.withLock { $0.symbols } }

    /// Replaces the set; followers get it unless it is unchanged.
    package func set(_ newSymbols: [Symbol]) {
        followers.withLock { followers in
            guard newSymbols != followers.symbols else { return }
            for symbol in Set(newSymbols).subtracting(followers.symbols) { followers.arrivals[symbol, default: 0] += 1 }
            followers.symbols = newSymbols
            for continuation in followers.continuations.values { continuation.yield(newSymbols) }
        }
    }

    /// Which stay of `symbol` in the set this is (the number of times it has come into it), nil
    /// while it is not in it. A follower that gets only the newest set (see `updates()`) still
    /// tells a symbol that left and came back meanwhile from one that never left.
    package func stay(of symbol: Symbol) -> Int? {
        followers.withLock { $0.symbols.contains(symbol) ? $0.arrivals[symbol] : nil }
    }

    /// The current set, then every change (a slow follower gets only the newest).
    package func updates() -> AsyncStream<[Symbol]> { follower().stream }

    /// `updates()` with the means to end it: for a loop that ends on graceful shutdown
    /// (`GracefulStream`).
    package func follower() -> GracefulStream<[Symbol]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [Symbol].self, bufferingPolicy: .bufferingNewest(1))
        let id = followers.withLock { followers in
            followers.nextID += 1
            followers.continuations[followers.nextID] = continuation
            continuation.yield(followers.symbols)
            return followers.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.followers.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return GracefulStream(stream, continuation)
    }
}
