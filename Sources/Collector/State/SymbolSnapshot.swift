/// Everything known about one symbol at one generation of the state.
public struct SymbolSnapshot: Sendable, Hashable {
    public var symbol: Symbol
    /// The quote chosen to show, from `selected.source`.
    public var selected: Quote?
    /// The latest quote from every source that has one, best priority first.
    public var quotes: [Quote]
    /// Reference price for change: the previous regular session's close (`PreviousCloseRule`).
    public var previousClose: Double?
    /// Where `previousClose` came from (source, daily bar or quote field, session); nil when set by hand.
    public var previousCloseSource: PreviousClose?
    /// Volume so far today: from the quote, else summed from today's minute bars.
    public var dayVolume: Double?
    /// Recent minute closes from the selected source, oldest first (for sparklines).
    public var recentCloses: [Double]
    /// The newest minute bar from the selected source.
    package var lastBar: Bar?
    public var quality: QualityFlag
    /// Anomalies recorded for this symbol since start.
    public var anomalyCount: Int
    /// Why the shown value is not fresh, in words (set when stale).
    public var staleReason: String?
    /// Sources whose quotes depart from the others' beyond the tolerance.
    public var disagreeingSources: [SourceID] = []
    /// Why the shown source is not the most preferred one (set during a failover).
    public var failoverReason: String?
    /// The session of the symbol's market, with why (weekend, holiday, early close).
    public var session: SessionStatus
    /// The age beyond which the value is stale now; nil while its market expects no data.
    public var staleAfter: Duration?
    /// Why there is no value, source by source (`unknown to FINNHUB`), when there is none and a
    /// source said why.
    public var noDataReason: String?

    public init(
        symbol: Symbol, selected: Quote? = nil, quotes: [Quote] = [], previousClose: Double? = nil,
        dayVolume: Double? = nil, recentCloses: [Double] = [], lastBar: Bar? = nil, quality: QualityFlag = .noData,
        anomalyCount: Int = 0, staleReason: String? = nil, disagreeingSources: [SourceID] = [],
        failoverReason: String? = nil, session: SessionStatus = SessionStatus(session: .open),
        staleAfter: Duration? = .seconds(60)
    ) {
        self.symbol = symbol
        self.selected = selected
        self.quotes = quotes
        self.previousClose = previousClose
        self.dayVolume = dayVolume
        self.recentCloses = recentCloses
        self.lastBar = lastBar
        self.quality = quality
        self.anomalyCount = anomalyCount
        self.staleReason = staleReason
        self.disagreeingSources = disagreeingSources
        self.failoverReason = failoverReason
        self.session = session
        self.staleAfter = staleAfter
    }

    /// The selected quote's age: since its exchange time, not its receipt (`Quote.age`).
    public func age(at now: Timestamp) -> Duration? {
        selected.map { $0.age(at: now) }
    }

    public var price: Double? { selected?.price }

    public var change: Double? {
        guard let price, let previousClose else { return nil }
        return price - previousClose
    }

    public var changePercent: Double? {
        guard let change, let previousClose, previousClose != 0 else { return nil }
        return change / previousClose * 100
    }
}
