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
        /// Each follower, with the version of the set it was last given.
        var continuations: [Int: (continuation: AsyncStream<[Symbol]>.Continuation, given: Int)] = [:]
        var nextID = 0
        /// Counts the changes of `symbols`.
        var version = 0
    }

    private let followers: Mutex<Followers>
    /// Held while a change is handed to the followers, so that they get changes in order. Not
    /// `followers`: a `yield` that resumes a follower's task takes that task's status lock, and a
    /// `cancel()` of the task holds it while the stream's end takes `followers`.
    private let handing = Mutex(())

    package init(_ symbols: [Symbol]) {
        followers = Mutex(Followers(symbols: symbols, arrivals: Dictionary(symbols.map { ($0, 1) }) { first, _ in first }))
    }

    /// The current set, in display order.
    package var symbols: [Symbol] { followers.withLock { $0.symbols } }

    /// Replaces the set; followers get it unless it is unchanged.
    package func set(_ newSymbols: [Symbol]) {
        let changed = followers.withLock { followers in
            guard newSymbols != followers.symbols else { return false }
            for symbol in Set(newSymbols).subtracting(followers.symbols) { followers.arrivals[symbol, default: 0] += 1 }
            followers.symbols = newSymbols
            followers.version += 1
            return true
        }
        guard changed else { return }
        handing.withLock { _ in
            // The set as it is now, to the followers not yet given it (another change may have
            // come since this one, and been handed already).
            let (symbols, due) = followers.withLock { followers in
                let version = followers.version
                var due: [AsyncStream<[Symbol]>.Continuation] = []
                for (id, follower) in followers.continuations where follower.given < version {
                    followers.continuations[id]?.given = version
                    due.append(follower.continuation)
                }
                return (followers.symbols, due)
            }
            for continuation in due { continuation.yield(symbols) }
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
            followers.continuations[followers.nextID] = (continuation, followers.version)
            // Nothing waits on the new stream yet: this yield only fills its buffer.
            continuation.yield(followers.symbols)
            return followers.nextID
        }
        continuation.onTermination = { [weak self] _ in
            self?.followers.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return GracefulStream(stream, continuation)
    }
}
