/// The elements of `base`, at most about one per `interval` of `clock`. An element that comes
/// an interval (less a tenth of it) or more after the last one handed out passes at once; one
/// that comes sooner waits out the interval and is handed out then, while newer ones wait in
/// `base` for the next call. Over a base that keeps only its newest element
/// (`MarketState.generations()`) this coalesces a burst of changes into one wake-up per
/// interval; data as slow as the interval wakes the reader as it comes, with no timer. The
/// first element passes at once; a zero interval passes every element at once.
public struct PacedSequence<Base: AsyncSequence & Sendable, C: Clock>: AsyncSequence, Sendable
where Base.Failure == Never, C.Duration == Duration {
    public typealias Element = Base.Element

    let base: Base
    let interval: Duration
    let clock: C

    package init(_ base: Base, interval: Duration, clock: C) {
        self.base = base
        self.interval = interval
        self.clock = clock
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), interval: interval, clock: clock)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let interval: Duration
        let clock: C
        var last: C.Instant?

        public mutating func next() async -> Element? {
            guard let element = await base.next(isolation: nil) else { return nil }
            if let last, interval > .zero {
                let due = last.advanced(by: interval)
                // The slack keeps data that comes about once an interval (the simulated market's
                // default tick) from arming a timer for the few milliseconds it is early.
                if clock.now < due.advanced(by: .zero - interval / 10) {
                    do { try await clock.sleep(until: due, tolerance: nil) } catch { return nil }
                }
            }
            last = clock.now
            return element
        }
    }
}
