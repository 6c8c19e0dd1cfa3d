import AsyncAlgorithms

/// The one sequence the board loop waits on, merged from: the state's new generations (at
/// most one wake-up per `dataInterval`, so bursts of data are coalesced), the terminal's key
/// and resize wake-ups, a tick every `tickInterval` (ages and clocks advance with no data),
/// and the stop the app sends when the collector has ended.
public enum BoardWakes {
    public typealias Data<C: Clock> = AsyncMapSequence<PacedSequence<AsyncStream<UInt64>, C>, BoardWake>
    where C.Duration == Duration
    public typealias Ticks<C: Clock> = AsyncMapSequence<AsyncTimerSequence<C>, BoardWake> where C.Duration == Duration
    public typealias Merged<C: Clock> = AsyncMerge3Sequence<
        Data<C>, AsyncStream<BoardWake>, AsyncMerge2Sequence<Ticks<C>, AsyncStream<BoardWake>>
    >
    where C.Duration == Duration

    /// - Parameters:
    ///   - generations: `MarketState.generations()`.
    ///   - terminal: `.input` and `.resize` from the terminal.
    ///   - stops: `.stop` when the collector has ended.
    public static func merged<C: Clock>(
        generations: AsyncStream<UInt64>, terminal: AsyncStream<BoardWake>, stops: AsyncStream<BoardWake>,
        dataInterval: Duration, tickInterval: Duration, clock: C
    ) -> Merged<C> where C.Duration == Duration {
        let data = PacedSequence(generations, interval: dataInterval, clock: clock).map { _ in BoardWake.data }
        let ticks = AsyncTimerSequence(interval: tickInterval, clock: clock).map { _ in BoardWake.tick }
        return merge(data, terminal, merge(ticks, stops))
    }
}
