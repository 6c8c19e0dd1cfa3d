/// Where a batch of values came from. Live values must move forward in time
/// per stream; history (backfill) is checked for order within its own series,
/// so a backfill that overlaps live data is not mistaken for time going backwards.
package enum IngestOrigin: String, Sendable, Hashable, Codable {
    case live
    case history
}

/// Runs every rule over incoming values and splits them into accepted values
/// and anomalies. A value that breaks a rule is quarantined: it comes back
/// inside its anomaly, never silently dropped. Owned by one task (the ingest
/// pipeline), so it is a plain value with no locking.
///
/// It keeps, per stream (symbol, source, kind, timeframe, origin and, for live values,
/// delivery path), a
/// `StreamHistory` of accepted values, and per symbol a `DayRange`. State is
/// bounded: each stream's window holds `windowSize` prices and the moves
/// between them (about 2.5 KB at the default 50), and at most `maxStreams`
/// streams are kept; when full, the least recently used half is forgotten (a
/// forgotten stream starts afresh).
public struct Validator: Sendable {
    /// Identifies one stream of values whose times must increase.
    struct StreamKey: Hashable, Sendable {
        let symbol: Symbol
        let source: SourceID
        let kind: MarketEvent.Kind
        let timeframe: Timeframe?
        let origin: IngestOrigin
        /// Live values only: a stream and a poll of one source are two streams.
        let path: DeliveryPath

        /// One look-up per value: the symbol and source as words and the rest packed in one
        /// (the synthesised hash would hash the raw-valued enums' strings).
        func hash(into hasher: inout Hasher) {
            hasher.combine(symbol)
            hasher.combine(source)
            let kindTag = Int64(kind.index)
            let originTag: Int64 = origin == .live ? 0 : 4
            let pathTag: Int64 = path == .stream ? 0 : 8
            let frame = timeframe?.nominalDuration.components.seconds ?? 0
            hasher.combine(kindTag | originTag | pathTag | frame << 4)
        }
    }

    struct Stream: Sendable {
        let key: StreamKey
        var history: StreamHistory
        /// Index of the symbol's day range.
        var symbolSlot: Int
        var lastUse: UInt64
        /// Its source is not tied to an exchange calendar (`aroundTheClock`).
        let aroundTheClock: Bool
        /// The slot of the stream whose value of the same kind came next last time (-1: none
        /// yet): a source sends its symbols in the same order tick after tick, however its values
        /// are cut into batches (`streamSlot(for:hint:)`).
        var successor = -1
    }

    package struct Result: Sendable {
        package var accepted: [MarketEvent] = []
        package var anomalies: [Anomaly] = []
    }

    /// The rules in the order they run: independent and sequence rules as given, then the statistical ones.
    package let rules: [any StreamValidationRule]
    package let windowSize: Int
    package let maxStreams: Int
    /// Outliers in a row at one new level after which the move counts as real (0: never).
    package let levelShiftAfter: Int
    /// Sources whose values are not tied to an exchange calendar; sessions count as always open.
    package let aroundTheClock: Set<SourceID>
    let families: [RuleFamily]
    /// Indexes into `rules` of the rules that judge quotes, trades and bars.
    let rulesByKind: [[Int]]
    let needs: ContextNeeds
    var streamIndex: [StreamKey: Int] = [:]
    var streams: [Stream] = []
    var symbolIndex: [Symbol: Int] = [:]
    /// The stream slot of the last value of each kind (quote, trade, bar; -1: none), whose
    /// `Stream.successor` hints the next value's slot.
    var lastSlots = [-1, -1, -1]
    var dayRanges: [DayRange] = []
    private var sessions = SessionCache()
    var useCounter: UInt64 = 0

    /// The version 1 rule set: the stateless checks, always on.
    public static let standardRules: [any ValidationRule] = [
        PositivePriceRule(), NonNegativeVolumeRule(), OHLCConsistencyRule(), CrossedQuoteRule(),
        TimestampOrderRule()
    ]

    /// A validator running `rules`. The default is version 1 only; the collector
    /// builds version 2 from its configuration with `init(configuration:aroundTheClock:)`.
    public init(
        rules: [any StreamValidationRule] = Validator.standardRules, windowSize: Int = 50, maxStreams: Int = 10_000,
        levelShiftAfter: Int = 3, aroundTheClock: Set<SourceID> = []
    ) {
        let ordered = rules.filter { !$0.family.isStatistical } + rules.filter { $0.family.isStatistical }
        self.rules = ordered
        families = ordered.map(\.family)
        rulesByKind = MarketEvent.Kind.allCases.map { kind in  // in `index` order
            ordered.indices.filter { ordered[$0].kinds.contains(kind) }
        }
        needs = ordered.reduce(into: ContextNeeds()) { $0.formUnion($1.needs) }
        self.windowSize = max(RollingWindow.minimumCount, windowSize)
        self.maxStreams = max(2, maxStreams)
        self.levelShiftAfter = max(0, levelShiftAfter)
        self.aroundTheClock = aroundTheClock
    }

    /// Validates `events` in order. Accepted values become the "previous" value
    /// of their stream; quarantined ones do not, so one bad value cannot poison the next.
    /// `path` (live values) keeps a source's polled values apart from its streamed ones.
    package mutating func validate(
        _ events: [MarketEvent], origin: IngestOrigin, path: DeliveryPath = .stream, at now: Timestamp
    ) -> Result {
        let path: DeliveryPath = origin == .history ? .stream : path
        var result = Result()
        // While every value passes, `accepted` is `events` itself (no value copied); from the
        // first quarantined one on, the accepted ones are gathered.
        var gathering = false
        var context = ValidationContext(
            facts: ValueFacts(kind: .quote, assetClass: .equity, time: .zero, price: 0), origin: origin,
            stream: StreamHistory(), dayRange: DayRange(), session: .open)
        for (index, event) in events.enumerated() {
            let (facts, symbol, source) = ValueFacts.read(event)
            let key = StreamKey(
                symbol: symbol, source: source, kind: facts.kind, timeframe: facts.timeframe, origin: origin, path: path)
            context.facts = facts
            let kind = facts.kind.index
            let previous = lastSlots[kind]
            let slot = streamSlot(for: key, hint: previous >= 0 ? streams[previous].successor : nil)
            // (Making room for a new stream moves the slots and clears `lastSlots`: checked again.)
            if previous >= 0, lastSlots[kind] == previous { streams[previous].successor = slot }
            lastSlots[kind] = slot
            if needs.contains(.session) {
                context.session = streams[slot].aroundTheClock ? .open : marketSession(of: facts)
            }
            if needs.contains(.dayRange), key.kind == .quote { context.dayRange = dayRanges[streams[slot].symbolSlot] }
            // Lend the stream's history to the context without copying it, and take it back.
            swap(&context.stream, &streams[slot].history)
            let verdict = judge(event, in: context, at: now, into: &result.anomalies)
            swap(&context.stream, &streams[slot].history)
            switch verdict {
            case .accepted:
                if gathering { result.accepted.append(event) }
                accept(event, facts: context.facts, slot: slot)
            case .quarantined(let shiftsLevel):
                if !gathering {
                    gathering = true
                    result.accepted.reserveCapacity(events.count - 1)
                    result.accepted.append(contentsOf: events[..<index])
                }
                if shiftsLevel { recordOutlier(context.facts, slot: slot) }
            }
        }
        if !gathering { result.accepted = events }
        return result
    }

    enum Verdict {
        case accepted
        case quarantined(shiftsLevel: Bool)
    }

    /// Runs the rules that judge the value's kind, appending what they find.
    private func judge(
        _ event: MarketEvent, in context: ValidationContext, at now: Timestamp, into anomalies: inout [Anomaly]
    ) -> Verdict {
        var found = false
        var sequenceFound = false
        var quarantined = false
        var shiftsLevel = false
        // Through the buffer, each rule is called where it lies: `rules[index]` on the array
        // copies the existential out (and destroys the copy) for every rule and value.
        rules.withUnsafeBufferPointer { rules in
            for index in rulesByKind[context.facts.kind.index] {
                let family = families[index]
                switch family {
                case .independent: break
                case .sequence: if sequenceFound { continue }
                case .statistical: if found { continue }
                }
                guard rules[index].check(event, in: context, at: now, into: &anomalies) else { continue }
                found = true
                if case .sequence = family { sequenceFound = true }
                if case .statistical(let shifts) = family { shiftsLevel = shifts }
                quarantined = quarantined || anomalies[anomalies.count - 1].quarantined
            }
        }
        return quarantined ? .quarantined(shiftsLevel: shiftsLevel) : .accepted
    }

    private mutating func accept(_ event: MarketEvent, facts: ValueFacts, slot: Int) {
        let bar: StreamHistory.BarValues? = if case .bar(let b) = event { StreamHistory.BarValues(b) } else { nil }
        streams[slot].history.accept(time: facts.time, price: facts.price, bar: bar, tracksPrices: needs.contains(.prices))
        // Day ranges come from quotes (mid) and daily bars (low and high).
        guard needs.contains(.dayRange) else { return }
        let extent: (Double, Double)? =
            switch event {
            case .quote: (facts.price, facts.price)
            case .bar(let b) where b.timeframe == .oneDay: (b.low, b.high)
            default: nil
            }
        if let (low, high) = extent {
            dayRanges[streams[slot].symbolSlot].include(low: low, high: high, day: DayRange.tradingDay(of: facts))
        }
    }

    private mutating func recordOutlier(_ facts: ValueFacts, slot: Int) {
        guard let confirmed = streams[slot].history.recordOutlier(facts.price, at: facts.time, confirmAfter: levelShiftAfter),
            needs.contains(.dayRange), let low = confirmed.min(), let high = confirmed.max()
        else { return }
        // The new level is real: today's range takes it in, so the range rule does not keep firing.
        dayRanges[streams[slot].symbolSlot].include(low: low, high: high, day: DayRange.tradingDay(of: facts))
    }

    /// The session at a bar's start, a quote's receipt, a trade's exchange time.
    private mutating func marketSession(of facts: ValueFacts) -> MarketSession {
        sessions.session(for: facts.assetClass, at: facts.kind == .trade ? facts.time : facts.receivedAt)
    }

    /// Forgets the history series of `source`, so a new backfill starts fresh.
    package mutating func resetHistory(of source: SourceID) {
        keepStreams { $0.key.origin != .history || $0.key.source != source }
    }
}

extension MarketEvent {
    /// The bar's timeframe; nil for quotes and trades.
    package var timeframe: Timeframe? {
        if case .bar(let b) = self { return b.timeframe }
        return nil
    }
}
