/// Chooses, per symbol, which source's quote is shown, with hysteresis.
///
/// A candidate is *usable* when its quote is fresh and its source is not down
/// or circuit-open. The selector fails over at once when the current source
/// stops being usable, but after a failover returns to a more preferred source
/// only once that source has been usable for `returnAfter` and the current
/// choice has been held for `holdTime`; so intermittent errors never make it
/// flap between two sources. A less preferred source shown only because it
/// answered first yields to the preferred one as soon as that answers.
/// Pure value: the state actor owns one and feeds it the time.
package struct SourceSelector: Sendable {
    package struct Settings: Sendable, Hashable {
        /// The least time a choice is kept before a voluntary switch.
        package var holdTime: Duration
        /// How long a preferred source must stay usable before it is taken back.
        package var returnAfter: Duration
        package init(holdTime: Duration = .seconds(10), returnAfter: Duration = .seconds(30)) {
            self.holdTime = holdTime
            self.returnAfter = returnAfter
        }
    }

    /// One source's latest quote for the symbol, in priority order (most preferred first).
    package struct Candidate: Sendable, Hashable {
        package var source: SourceID
        package var quote: Quote
        package var usable: Bool
        /// Why it is not usable, in words (`stale 75s`, `down: connection refused`).
        package var reason: String?
        package init(source: SourceID, quote: Quote, usable: Bool, reason: String? = nil) {
            self.source = source
            self.quote = quote
            self.usable = usable
            self.reason = reason
        }
    }

    /// A change of the shown source, with its reason.
    package struct Change: Sendable, Hashable {
        package var symbol: Symbol
        package var from: SourceID?
        package var to: SourceID
        package var reason: String
        package var at: Timestamp
        /// True when the new source is not the most preferred one (a failover).
        package var isFailover: Bool

        package init(symbol: Symbol, from: SourceID?, to: SourceID, reason: String, at: Timestamp, isFailover: Bool) {
            self.symbol = symbol
            self.from = from
            self.to = to
            self.reason = reason
            self.at = at
            self.isFailover = isFailover
        }
    }

    struct Choice: Sendable {
        var source: SourceID
        var since: Timestamp
        /// Chosen because a more preferred source failed (not merely because it
        /// answered first): only then does returning wait out the hysteresis.
        var afterFailure: Bool
    }

    package let settings: Settings
    private var choices: [Symbol: Choice] = [:]
    /// Since when each (symbol, source) has been continuously usable.
    private var usableSince: [Symbol: [SourceID: Timestamp]] = [:]

    package init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// The source currently chosen for `symbol`, if any.
    package func current(_ symbol: Symbol) -> SourceID? { choices[symbol]?.source }

    /// Whether `source` is chosen for `symbol` and counted usable since some time.
    package func holds(_ symbol: Symbol, usable source: SourceID) -> Bool {
        choices[symbol]?.source == source && usableSince[symbol]?[source] != nil
    }

    /// Re-decides the source for `symbol` from its candidates (most preferred first).
    /// Returns the chosen source and, when it changed, the change.
    package mutating func select(_ symbol: Symbol, from candidates: [Candidate], at now: Timestamp) -> (SourceID?, Change?) {
        // Written back only when it changed (the usual quote changes nothing here): each
        // look-up by symbol hashes its name, and this runs for every symbol of every batch.
        let known = usableSince[symbol]
        var since = known ?? [:]
        var changed = known == nil
        for candidate in candidates {
            if candidate.usable {
                if since[candidate.source] == nil {
                    since[candidate.source] = now
                    changed = true
                }
            } else if since[candidate.source] != nil {
                since[candidate.source] = nil
                changed = true
            }
        }
        if changed { usableSince[symbol] = since }
        guard !candidates.isEmpty else { return (nil, nil) }

        let held = choices[symbol]
        let preferred = candidates.first { $0.usable }
        let current = held.flatMap { choice in candidates.first { $0.source == choice.source } }
        let target: Candidate
        let reason: String
        if let current, current.usable {
            // Voluntary switch: to a more preferred source. After a failover it must
            // have proven itself first; a source that merely answered first yields at once.
            guard let better = preferred, better.source != current.source, let held else {
                return (current.source, nil)
            }
            if held.afterFailure {
                guard let betterSince = since[better.source], now - betterSince >= settings.returnAfter,
                    now - held.since >= settings.holdTime
                else { return (current.source, nil) }
                reason = "\(better.source.label) usable again for \(settings.returnAfter.ageText)"
            } else {
                reason = "\(better.source.label) answered"
            }
            target = better
        } else if let preferred {
            target = preferred
            if let current {
                reason = "\(current.source.label) \(current.reason ?? "unusable")"
            } else if let first = candidates.first, first.source != preferred.source {
                reason = "\(first.source.label) \(first.reason ?? "unusable")"
            } else {
                reason = "first value"
            }
        } else {
            // Nothing usable: keep the last known good (the freshest quote), whoever sent it.
            if let held, candidates.contains(where: { $0.source == held.source }) {
                return (held.source, nil)
            }
            target = Self.firstChoice(among: candidates)!
            reason = "last known good"
        }
        let previous = held?.source
        guard previous != target.source else { return (target.source, nil) }
        // Not the first candidate means a more preferred source has a quote but is unusable: a failure.
        choices[symbol] = Choice(source: target.source, since: now, afterFailure: target.source != candidates.first?.source)
        let change = Change(
            symbol: symbol, from: previous, to: target.source, reason: reason, at: now,
            isFailover: target.source != candidates.first?.source)
        return (target.source, change)
    }

    /// The source taken when no choice is held: the first usable candidate, else the last known
    /// good (the freshest quote, whoever sent it).
    package static func firstChoice(among candidates: [Candidate]) -> Candidate? {
        candidates.first(where: \.usable) ?? candidates.max { $0.quote.receivedAt < $1.quote.receivedAt }
    }

    /// Forgets symbols no longer watched.
    package mutating func retain(_ symbols: Set<Symbol>) {
        choices = choices.filter { symbols.contains($0.key) }
        usableSince = usableSince.filter { symbols.contains($0.key) }
    }
}
