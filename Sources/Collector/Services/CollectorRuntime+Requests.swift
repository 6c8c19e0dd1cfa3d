extension CollectorRuntime {
    /// What `refreshPolledSources` did.
    public struct RefreshOutcome: Sendable, Equatable, CustomStringConvertible {
        package struct Skipped: Sendable, Equatable {
            package var source: SourceID
            package var reason: String
            package init(source: SourceID, reason: String) {
                self.source = source
                self.reason = reason
            }
        }

        /// Sources asked for a round now, with the wait their rate limit imposes first, if any.
        package var asked: [(source: SourceID, wait: Duration)] = []
        /// Polled sources not asked, and why (a throttle pause, an open circuit).
        package var skipped: [Skipped] = []

        public static func == (a: Self, b: Self) -> Bool {
            a.skipped == b.skipped && a.asked.map(\.source) == b.asked.map(\.source) && a.asked.map(\.wait) == b.asked.map(\.wait)
        }

        /// `refreshing ALPACA, YAHOO (next request in 8s: rate limit); ALPHAVANTAGE not asked: requests paused until …`
        public var description: String {
            var parts: [String] = []
            if asked.isEmpty && skipped.isEmpty {
                return "nothing to refresh: no source is polled (streams deliver as they come)"
            }
            if !asked.isEmpty {
                parts.append(
                    "refreshing "
                        + asked.map { asked in
                            asked.wait > .zero
                                ? "\(asked.source.label) (next request in \(asked.wait.ageText): rate limit)" : asked.source.label
                        }.joined(separator: ", "))
            }
            parts += skipped.map { "\($0.source.label) not asked: \($0.reason)" }
            return parts.joined(separator: "; ")
        }
    }

    /// Asks every polled source for a round now (the board's `r`), within its budget: the
    /// requests wait for the rate limiter like any other. A source whose requests are paused
    /// (a throttle or quota note) or whose circuit is open is not asked; the outcome says why.
    public func refreshPolledSources() async -> RefreshOutcome {
        let snapshot = await state.snapshot()
        let now = snapshot.takenAt
        var outcome = RefreshOutcome()
        for id in polledSources {
            let limiter = sources.first { $0.id == id }?.rateLimiter
            let health = snapshot.sources.first { $0.source == id }
            if let until = await limiter?.status().pausedUntil, until > now {
                outcome.skipped.append(.init(source: id, reason: "requests paused until \(until.clockText) UTC"))
            } else if health?.state == .circuitOpen {
                outcome.skipped.append(.init(source: id, reason: health?.detail ?? health?.lastError ?? "circuit open"))
            } else {
                outcome.asked.append((id, await limiter?.waitForNextToken() ?? .zero))
            }
        }
        pollRequests.request()
        return outcome
    }

    /// The end of each running source's request pause (a 429, a throttle or quota note).
    public func requestPauses() async -> [SourceID: Timestamp] {
        var pauses: [SourceID: Timestamp] = [:]
        for source in sources {
            if let until = await source.rateLimiter?.status().pausedUntil { pauses[source.id] = until }
        }
        return pauses
    }
}
