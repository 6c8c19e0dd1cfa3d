/// Every source's health, kept per source and per part (market or endpoint): the one place that
/// decides what a source shows. A pure value: `reduce` turns one fact a producer reported into
/// the source's shown state, detail, failing parts, counters and windows, and returns the
/// transition of what is shown, if it moved (table-tested in `HealthBookTests`).
package struct HealthBook: Sendable {
    /// What each source shows, without the windowed figures (`shown(_:at:)` adds them).
    package private(set) var sources: [SourceID: SourceHealth] = [:]
    /// What the producers last reported for each source as a whole (state, detail), before its
    /// failing parts are folded in (`PartHealthRule`).
    private var reported: [SourceID: Reported] = [:]
    /// Each source's failing parts, by name.
    private var parts: [SourceID: [String: PartHealth]] = [:]
    /// Why a source has nothing for a symbol, until a quote for it comes from that source.
    private var noData: [Symbol: [SourceID: String]] = [:]
    private var windows: [SourceID: HealthWindows] = [:]

    private struct Reported: Sendable {
        var state: HealthState
        var detail: String?
    }

    package init() {}

    /// A configured source before it reports, in `state` (e.g. `starting`, `disabled`, `no-key`) since `time`.
    package mutating func configure(_ id: SourceID, kind: String, state: HealthState, detail: String?, at time: Timestamp) {
        var entry = SourceHealth(source: id, kind: kind, state: state, detail: detail)
        entry.stateSince = time
        sources[id] = entry
    }

    /// The source as shown at `now`, with its rates over the recent windows.
    package func shown(_ id: SourceID, at now: Timestamp) -> SourceHealth? {
        guard let entry = sources[id] else { return nil }
        return (windows[id] ?? HealthWindows()).rates(of: entry, at: now)
    }

    /// Why each source has nothing for `symbol`, where one said so.
    package func noDataReasons(for symbol: Symbol) -> [SourceID: String]? { noData[symbol] }

    /// The unavailable part of `source` serving `symbol`, if any (its quotes are not used meanwhile).
    package func unavailablePart(of source: SourceID, for symbol: Symbol) -> PartHealth? {
        PartHealthRule.unavailablePart(for: symbol, in: sources[source]?.failingParts ?? [])
    }

    /// Whether `source` may serve every symbol now: neither it nor any of its failing parts is
    /// unavailable (then only staleness can make one of its quotes unusable).
    package func servesEverySymbol(_ source: SourceID) -> Bool {
        guard let entry = sources[source] else { return true }
        return !entry.state.isUnavailable && !(entry.failingParts ?? []).contains { $0.state.isUnavailable }
    }

    /// A quote for `symbol` came from `source`: any reason it had none is forgotten. Runs for
    /// every quote: with no reasons held (the usual case) it looks nothing up.
    package mutating func received(_ symbol: Symbol, from source: SourceID) {
        guard !noData.isEmpty else { return }
        if noData[symbol]?.removeValue(forKey: source) != nil, noData[symbol]?.isEmpty == true {
            noData[symbol] = nil
        }
    }

    /// Drops the failing parts none of whose symbols is `watched` any more (they are no longer asked).
    package mutating func retain(watched: Set<Symbol>, at time: Timestamp) -> [HealthTransition] {
        var moved: [HealthTransition] = []
        for (id, failing) in parts.sorted(by: { $0.key < $1.key }) {
            for (name, part) in failing.sorted(by: { $0.key < $1.key }) where !part.symbols.contains(where: watched.contains) {
                if let transition = reduce(.partRecovered(id, part: name, at: time), at: time) { moved.append(transition) }
            }
        }
        return moved
    }

    /// Applies one fact reported at `now`; returns the move of what the source shows, if any.
    @discardableResult
    package mutating func reduce(_ fact: HealthFact, at now: Timestamp) -> HealthTransition? {
        switch fact {
        case .registered(let id, let kind, let state, let detail):
            sources[id] = SourceHealth(source: id, kind: kind, state: state, detail: detail)
            reported[id] = nil
            parts[id] = nil
            return nil
        case .connected(let id, let detail):
            return report(id, state: .streaming, detail: detail, at: now)
        case .probing(let id):
            return report(id, state: .halfOpen, detail: "probing after a pause", at: now)
        case .throttled(let id, let until):
            // A throttle or quota pause holds the requests in the limiter: shown as the state it is.
            return report(id, state: .rateLimited, detail: "requests paused until \(until.clockText) UTC", at: now)
        case .delivered(let id, let delivery):
            return delivered(id, delivery, at: now)
        case .failed(let id, let failure):
            return failed(id, failure)
        case .polled(let id, let issue):
            return report(id, state: issue == nil ? .polling : .degraded, detail: issue, at: now)
        case .streamTrouble(let id, let message, let degrades):
            return report(id, state: degrades ? .degraded : .streaming, detail: message, at: now)
        case .rateLimit(let id, let remaining):
            edit(id) { $0.rateLimitRemaining = remaining }
            return nil
        case .streamed(let id, let reconnects, let coalesced, let dropped):
            edit(id) {
                var counters = $0.stream ?? StreamCounters()
                counters.reconnects += reconnects
                counters.coalesced += coalesced
                counters.dropped += dropped
                $0.stream = counters
            }
            return nil
        case .partFailed(let id, let name, let symbols, let failure):
            let at = failure.at
            var part = PartHealth(
                name: name, state: Self.state(after: failure.cause), detail: failure.message, symbols: symbols, since: at)
            // Failing on in the same state: it has been so since it began.
            if let known = parts[id]?[part.name], known.state == part.state { part.since = known.since }
            parts[id, default: [:]][part.name] = part
            windows[id, default: HealthWindows()].failed(at: at)
            return update(id, to: reportedState(id) ?? .starting, at: at) {
                $0.lastError = "\(part.name): \(part.detail)"
                $0.lastErrorAt = at
                $0.errorCount += 1
            }
        case .everyPartFailing(let id, let names):
            let failing = names.compactMap { parts[id]?[$0] }
            guard let worst = PartHealthRule.worst(failing) else { return nil }
            return report(id, state: worst, detail: nil, at: now)
        case .noData(let id, let symbol, let reason):
            noData[symbol, default: [:]][id] = reason
            return nil
        case .partRecovered(let id, let name, let at):
            guard parts[id]?.removeValue(forKey: name) != nil else { return nil }
            return update(id, to: reportedState(id) ?? .starting, at: at) { _ in }
        case .revised(let id, let bars):
            edit(id) { $0.barsRevised += bars }
            return nil
        }
    }

    /// The source reported as a whole in `state` for `detail`.
    private mutating func report(_ id: SourceID, state: HealthState, detail: String?, at time: Timestamp) -> HealthTransition? {
        update(id, to: state, at: time) { $0.detail = detail }
    }

    /// A stream batch shows the source streaming (degraded with a standing issue), its
    /// connection, issue and clock skew as the detail; a poll answer shows it polling (degraded
    /// with the round's standing issue), or streaming while one of its streams is up.
    private mutating func delivered(_ id: SourceID, _ delivery: HealthFact.Delivery, at now: Timestamp) -> HealthTransition? {
        let latency = delivery.feedDelay?.milliseconds ?? delivery.roundTripMilliseconds
        switch delivery.path {
        case .poll:
            let state: HealthState = delivery.streamUp ? .streaming : delivery.issue == nil ? .polling : .degraded
            // A degraded delivery restates why first, so a move into `degraded` carries its reason.
            let why = state == .degraded ? report(id, state: .degraded, detail: delivery.issue, at: now) : nil
            return counted(id, state: state, count: delivery.count, latency: latency, at: delivery.at) ?? why
        case .stream:
            let state: HealthState = delivery.issue == nil ? .streaming : .degraded
            let moved = counted(id, state: state, count: delivery.count, latency: latency, at: delivery.at)
            let detail = [delivery.connection, delivery.issue, delivery.feedDelay?.skewNote].compactMap { $0 }
            guard !detail.isEmpty else { return moved }
            return report(id, state: state, detail: detail.joined(separator: "; "), at: now) ?? moved
        }
    }

    /// Counts a delivery in `state`: a delivery that moves the source to another state clears
    /// the old reason; in the same state the detail stays (a stream's URL and reconnects while
    /// its poller delivers).
    private mutating func counted(
        _ id: SourceID, state: HealthState, count: Int, latency: Double?, at time: Timestamp
    ) -> HealthTransition? {
        let moves = reportedState(id) != state
        // Latency below zero is clock skew (a feed delay says so in the detail): never shown negative.
        let latency = latency.map { max(0, $0) }
        windows[id, default: HealthWindows()].delivered(count, latency: latency, at: time)
        return update(id, to: state, at: time) {
            if moves { $0.detail = nil }
            $0.messageCount += count
            $0.lastSuccess = time
            if let latency { $0.latencyMilliseconds = latency }
        }
    }

    /// The state a failure means for the source as a whole.
    static func state(after cause: HealthFact.Failure.Cause) -> HealthState {
        switch cause {
        case .provider(let kind): ProviderError.healthState(of: kind)
        case .broken: .down
        case .retrying: .degraded
        case .circuitOpen: .circuitOpen
        case .history(let kind): kind.map(ProviderError.healthState(of:)) == .rateLimited ? .rateLimited : .degraded
        case .stream(let judged, let pollerStandsIn): pollerStandsIn ? .degraded : judged
        }
    }

    /// A failure that only degrades (a history request, one lost poll) never lifts a source out
    /// of a worse state another part reported: it stays down, paused or throttled, with that
    /// reason shown; the failure still counts and is the last error.
    private mutating func failed(_ id: SourceID, _ failure: HealthFact.Failure) -> HealthTransition? {
        let state = Self.state(after: failure.cause)
        let current = reportedState(id)
        let keep = state == .degraded && (current.map { $0.isUnavailable || $0 == .rateLimited || $0 == .noKey } ?? false)
        windows[id, default: HealthWindows()].failed(at: failure.at)
        return update(id, to: keep ? current! : state, at: failure.at) {
            if !keep { $0.detail = failure.message }
            $0.lastError = failure.message
            $0.lastErrorAt = failure.at
            $0.errorCount += 1
        }
    }

    /// The state the producers last reported for the source as a whole (see `reported`).
    private func reportedState(_ id: SourceID) -> HealthState? { reported[id]?.state ?? sources[id]?.state }

    /// Moves a source to the reported `state` (`change` sees and edits the reported detail) and
    /// shows it with its failing parts folded in (`PartHealthRule`); returns the transition when
    /// what is shown moves. A failing part keeps the source degraded across its other parts'
    /// deliveries, so it moves once, not on every round.
    private mutating func update(
        _ id: SourceID, to state: HealthState, at time: Timestamp, _ change: (inout SourceHealth) -> Void
    ) -> HealthTransition? {
        let failing = parts[id].map { Array($0.values) } ?? []
        var entry = sources[id] ?? SourceHealth(source: id, kind: "unknown")
        let previous = entry.state
        entry.state = state
        if let reported = reported[id] { entry.detail = reported.detail }
        change(&entry)
        reported[id] = Reported(state: state, detail: entry.detail)
        let shown = PartHealthRule.shown(reported: state, detail: entry.detail, parts: failing)
        entry.state = shown.state
        entry.detail = shown.detail
        entry.failingParts = failing.isEmpty ? nil : failing.sorted { $0.name < $1.name }
        var moved: HealthTransition?
        if previous != shown.state {
            entry.stateSince = time
            entry.transitions += 1
            moved = HealthTransition(source: id, from: previous, to: shown.state, detail: entry.detail, at: time)
        }
        sources[id] = entry
        return moved
    }

    /// Edits a counter of the source's entry (created for a source not configured).
    private mutating func edit(_ id: SourceID, _ change: (inout SourceHealth) -> Void) {
        change(&sources[id, default: SourceHealth(source: id, kind: "unknown")])
    }
}
