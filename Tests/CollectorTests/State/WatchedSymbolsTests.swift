import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

@Suite("Watched symbols")
struct WatchedSymbolsTests {
    let aapl = F.symbol("AAPL")
    let msft = F.symbol("MSFT")

    /// The state owns the one watchlist: one call changes what it shows and what collectors follow.
    @Test func oneWatchlistEditReachesTheStateAndItsFollowers() async throws {
        let state = MarketState(watchlist: [aapl], sources: [], timeSource: FixedTimeSource())
        var followed = state.watched.updates().makeAsyncIterator()
        #expect(await followed.next() == [aapl], "the current list first")
        await state.setWatchlist([msft, aapl])
        try #require(state.watched.symbols == [msft, aapl], "the state's edit is the list collectors follow")
        #expect(await followed.next() == [msft, aapl])
        #expect(await state.snapshot().symbols.map(\.symbol) == [msft, aapl], "shown in the new order")
    }
}
