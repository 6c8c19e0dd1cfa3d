/// What a rule may read about a value besides the value itself. Built by the
/// validator for each value, read-only to rules; the validator updates the
/// underlying state only after a value is accepted.
public struct ValidationContext: Sendable {
    /// The value's kind, time, price and the like, read from it once.
    package var facts: ValueFacts
    /// Live or history (backfill); each has its own streams.
    package var origin: IngestOrigin
    /// The value's stream: previous accepted time and bar, rolling prices.
    package var stream: StreamHistory
    /// The value's symbol's recent day ranges (empty unless a rule needs them).
    package var dayRange: DayRange
    /// The market session at the value's time (a bar's start, a quote's receive
    /// time, a trade's exchange time); always `.open` for a source that trades
    /// around the clock (the simulated market, replays), and `.open` unless a rule needs it.
    package var session: MarketSession

    /// A context for `event` (tests call rules with one).
    package init(
        for event: MarketEvent, origin: IngestOrigin = .live, stream: StreamHistory = StreamHistory(),
        dayRange: DayRange = DayRange(), session: MarketSession = .open
    ) {
        self.init(facts: ValueFacts(event), origin: origin, stream: stream, dayRange: dayRange, session: session)
    }

    init(facts: ValueFacts, origin: IngestOrigin, stream: StreamHistory, dayRange: DayRange, session: MarketSession) {
        self.facts = facts
        self.origin = origin
        self.stream = stream
        self.dayRange = dayRange
        self.session = session
    }
}
