/// Prices must be finite and greater than zero; sizes and volumes must be finite. A quote
/// needs a price: a last trade, or both bid and ask (a side it lacks is simply absent).
public struct PositivePriceRule: ValidationRule {
    public let name = "bad-price"
    public init() {}

    /// Tests the facts read once by the validator; looks inside the value only when it may fire.
    @inline(__always)
    public func check(_ event: MarketEvent, in context: ValidationContext, at now: Timestamp) -> Anomaly? {
        guard context.facts.mayHaveBadPrice else { return nil }
        return check(event, previousTime: context.stream.previousTime, at: now)
    }

    public func check(_ event: MarketEvent, previousTime: Timestamp?, at now: Timestamp) -> Anomaly? {
        guard !event.hasCleanPrices else { return nil }
        let prices: [(String, Double)]
        let amounts: [(String, Double)]
        switch event {
        case .quote(let q):
            prices = [("bid", q.bid), ("ask", q.ask), ("last", q.last)].compactMap { name, value in value.map { (name, $0) } }
            amounts = [("bidSize", q.bidSize), ("askSize", q.askSize)].compactMap { name, value in value.map { (name, $0) } }
            if q.last == nil && !q.hasMid {
                return anomaly(
                    event, .error, prices.map { Anomaly.Field($0.0, $0.1) },
                    "no price: neither a last trade nor both bid and ask", at: now)
            }
        case .trade(let t):
            prices = [("price", t.price)]
            amounts = [("size", t.size)]
        case .bar(let b):
            prices =
                [("open", b.open), ("high", b.high), ("low", b.low), ("close", b.close)]
                + (b.vwap.map { [("vwap", $0)] } ?? [])
            amounts = [("volume", b.volume)]
        }
        let badPrices = prices.filter { !$0.1.isFinite || $0.1 <= 0 }
        let badAmounts = amounts.filter { !$0.1.isFinite }
        let bad = badPrices + badAmounts
        guard !bad.isEmpty else { return nil }
        let list = bad.map { "\($0.0) \(formatValue($0.1))" }.joined(separator: ", ")
        let what = badAmounts.isEmpty ? "non-positive or non-finite price" : "non-finite value"
        return anomaly(event, .error, bad.map { Anomaly.Field($0.0, $0.1) }, "\(what): \(list)", at: now)
    }
}

extension MarketEvent {
    /// Allocation-free fast path for the common case: every price positive and finite,
    /// every size finite.
    var hasCleanPrices: Bool {
        switch self {
        case .quote(let q): q.hasCleanPrices
        case .trade(let t): t.hasCleanPrices
        case .bar(let b): b.hasCleanPrices
        }
    }
}

private func isCleanPrice(_ p: Double) -> Bool { p.isFinite && p > 0 }

extension Quote {
    var hasCleanPrices: Bool {
        (bid.map(isCleanPrice) ?? true) && (ask.map(isCleanPrice) ?? true) && (last.map(isCleanPrice) ?? true)
            && (last != nil || hasMid) && (bidSize?.isFinite ?? true) && (askSize?.isFinite ?? true)
    }
}

extension Trade {
    var hasCleanPrices: Bool { isCleanPrice(price) && size.isFinite }
}

extension Bar {
    var hasCleanPrices: Bool {
        isCleanPrice(open) && isCleanPrice(high) && isCleanPrice(low) && isCleanPrice(close)
            && (vwap.map(isCleanPrice) ?? true) && volume.isFinite
    }
}
