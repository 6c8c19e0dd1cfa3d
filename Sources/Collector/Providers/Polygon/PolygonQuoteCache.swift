/// What the Polygon source keeps between polls to save requests (5 per minute on the free plan):
/// each symbol's previous close for the session of the quote it came with (the session as
/// `PreviousCloseRule` defines it: no second definition here), and whether the refused NBBO
/// was logged (the refusal itself is in `RefusalMemory`).
actor PolygonQuoteCache {
    private struct PreviousClose {
        var session: CivilDate
        var close: Double?
    }

    private var previousCloses: [Symbol: PreviousClose] = [:]
    private var nbboRefused = false

    /// The cached previous close for a quote of `session`: `.some(nil)` when it is known that
    /// there is none, `nil` when it has to be fetched.
    func previousClose(for symbol: Symbol, session: CivilDate) -> Double?? {
        guard let entry = previousCloses[symbol], entry.session == session else { return nil }
        return .some(entry.close)
    }

    func store(previousClose: Double?, for symbol: Symbol, session: CivilDate) {
        previousCloses[symbol] = PreviousClose(session: session, close: previousClose)
    }

    /// Records that the NBBO endpoint is refused; true the first time (to log it once).
    func refuseNBBO() -> Bool {
        defer { nbboRefused = true }
        return !nbboRefused
    }
}
