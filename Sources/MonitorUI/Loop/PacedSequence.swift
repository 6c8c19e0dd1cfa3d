/// The elements of `base`, at most one per `interval` of `clock`: after handing one out it
/// waits out the interval before reading the next. Over a base that keeps only its newest
/// element (`MarketState.generations()`) this coalesces a burst of changes into one wake-up
/// per interval, carrying the newest. The first element passes at once; a zero interval
/// passes every element at once.
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
            if let last, interval > .zero {
                // Cancelled while waiting: the base ends too, so nothing is handed out.
                try? await clock.sleep(until: last.advanced(by: interval), tolerance: nil)
            }
            guard let element = await base.next(isolation: nil) else { return nil }
            last = clock.now
            return element
        }
    }
}
