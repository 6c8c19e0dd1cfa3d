/// What the Polygon source keeps between polls to save requests (5 per minute on the free plan):
/// each symbol's previous close for the New York day it was fetched on, and whether the refused
/// NBBO was logged (the refusal itself is in `RefusalMemory`).
actor PolygonQuoteCache {
    private struct PreviousClose {
        var day: Timestamp
        var close: Double?
    }

    private var previousCloses: [Symbol: PreviousClose] = [:]
    private var nbboRefused = false

    /// The cached previous close for `day`: `.some(nil)` when it is known that there is none,
    /// `nil` when it has to be fetched.
    func previousClose(for symbol: Symbol, day: Timestamp) -> Double?? {
        guard let entry = previousCloses[symbol], entry.day == day else { return nil }
        return .some(entry.close)
    }

    func store(previousClose: Double?, for symbol: Symbol, day: Timestamp) {
        previousCloses[symbol] = PreviousClose(day: day, close: previousClose)
    }

    /// Records that the NBBO endpoint is refused; true the first time (to log it once).
    func refuseNBBO() -> Bool {
        defer { nbboRefused = true }
        return !nbboRefused
    }
}
