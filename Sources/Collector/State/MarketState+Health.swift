import DequeModule

/// Source health: what the producers report, folded into what each source shows.
extension MarketState {
    func applyHealth(_ event: HealthEvent) {
        switch event {
        case .registered(let id, let kind, let state, let detail):
            if priorities[id] == nil {
                priorities[id] = Int.max
                sourceOrder.append(id)
            }
            health[id] = SourceHealth(source: id, kind: kind, state: state, detail: detail)
            reported[id] = nil
            parts[id] = nil
        case .delivered(let id, let state, let count, let latency, let at):
            // A delivery that moves the source to another state clears the old reason; in the
            // same state the detail stays (a stream's URL and reconnects while its poller delivers).
            let moves = reportedState(id) != state
            // A feed delay below zero is clock skew (the producer says so in the detail): never shown negative.
            let latency = latency.map { max(0, $0) }
            update(id, to: state, at: at) {
                if moves { $0.detail = nil }
                $0.messageCount += count
                $0.lastSuccess = at
                if let latency { $0.latencyMilliseconds = latency }
            }
            record(&deliveries[id, default: []], (at, count), keeping: .seconds(60), now: at) { $0.0 }
            if let latency { record(&latencies[id, default: []], (at, latency), keeping: .seconds(60), now: at) { $0.0 } }
        case .failed(let id, let state, let message, let at):
            // A failure that only degrades (a history request, one lost poll) never lifts a source
            // out of a worse state another part reported: it stays down, paused or throttled, with
            // that reason shown; the failure still counts and is the last error.
            let current = reportedState(id)
            let keep = state == .degraded && (current.map { $0.isUnavailable || $0 == .rateLimited || $0 == .noKey } ?? false)
            update(id, to: keep ? current! : state, at: at) {
                if !keep { $0.detail = message }
                $0.lastError = message
                $0.lastErrorAt = at
                $0.errorCount += 1
            }
            record(&failures[id, default: []], at, keeping: .seconds(60), now: at) { $0 }
        case .changed(let id, let state, let detail):
            update(id, to: state, at: timeSource.now()) { $0.detail = detail }
        case .rateLimit(let id, let remaining):
            update(id) { $0.rateLimitRemaining = remaining }
        case .streamed(let id, let reconnects, let coalesced, let dropped):
            update(id) {
                var counters = $0.stream ?? StreamCounters()
                counters.reconnects += reconnects
                counters.coalesced += coalesced
                counters.dropped += dropped
                $0.stream = counters
            }
        case .partFailed(let id, let part, let at):
            var part = part
            // Failing on in the same state: it has been so since it began.
            if let known = parts[id]?[part.name], known.state == part.state { part.since = known.since }
            parts[id, default: [:]][part.name] = part
            update(id, to: reportedState(id) ?? .starting, at: at) {
                $0.lastError = "\(part.name): \(part.detail)"
                $0.lastErrorAt = at
                $0.errorCount += 1
            }
            record(&failures[id, default: []], at, keeping: .seconds(60), now: at) { $0 }
        case .noData(let id, let symbol, let reason):
            noDataReasons[symbol, default: [:]][id] = reason
        case .partRecovered(let id, let name, let at):
            guard parts[id]?.removeValue(forKey: name) != nil else { return }
            update(id, to: reportedState(id) ?? .starting, at: at) { _ in }
        case .revised(let id, let bars):
            update(id) { $0.barsRevised += bars }
        }
    }

    /// The state the producers last reported for the source as a whole (see `reported`).
    func reportedState(_ id: SourceID) -> HealthState? { reported[id]?.state ?? health[id]?.state }

    /// Moves a source to the reported `state` (`change` sees and edits the reported detail), shows
    /// it with its failing parts folded in (`PartHealthRule`), and counts a transition when what
    /// is shown moves; the transition waits in `pendingTransitions` for the alert monitor to log
    /// and store it. A failing part keeps the source degraded across its other parts' deliveries,
    /// so it moves once, not on every round.
    func update(_ id: SourceID, to state: HealthState, at time: Timestamp, _ change: (inout SourceHealth) -> Void) {
        var moved: HealthTransition?
        let failing = parts[id].map { Array($0.values) } ?? []
        update(id) {
            let previous = $0.state
            var entry = $0
            entry.state = state
            if let reported = reported[id] { entry.detail = reported.detail }
            change(&entry)
            reported[id] = (state, entry.detail)
            let shown = PartHealthRule.shown(reported: state, detail: entry.detail, parts: failing)
            entry.state = shown.state
            entry.detail = shown.detail
            entry.failingParts = failing.isEmpty ? nil : failing.sorted { $0.name < $1.name }
            if previous != shown.state {
                entry.stateSince = time
                entry.transitions += 1
                moved = HealthTransition(source: id, from: previous, to: shown.state, detail: entry.detail, at: time)
            }
            $0 = entry
        }
        if let moved {
            if pendingTransitions.count >= Self.pendingTransitionLimit { pendingTransitions.removeFirst() }
            pendingTransitions.append(moved)
        }
    }

    func update(_ id: SourceID, _ change: (inout SourceHealth) -> Void) {
        var entry = health[id] ?? SourceHealth(source: id, kind: "unknown")
        if health[id] == nil {
            priorities[id] = Int.max
            sourceOrder.append(id)
        }
        change(&entry)
        health[id] = entry
    }

    /// Appends to a time window and drops what fell out of it.
    private func record<T>(
        _ window: inout Deque<T>, _ value: T, keeping span: Duration, now: Timestamp, time: (T) -> Timestamp
    ) {
        window.append(value)
        while let first = window.first, now - time(first) > span { window.removeFirst() }
    }
}
