/// The request ledger kept in memory: shared by every runtime that shares this store.
extension InMemoryStore: RequestLedger {
    package func reserveRequest(account: String, at time: Timestamp, within limit: RateLimit) -> Timestamp? {
        if let until = ledger.pauses[account], until > time { return until }
        let start = time - limit.period
        var times = ledger.requests[account, default: []]
        times.removeAll { $0 <= start - RequestLedgerRetention.extra }
        let inWindow = times.filter { $0 > start }.sorted()
        if inWindow.count >= limit.requests {
            ledger.requests[account] = times
            return inWindow[inWindow.count - limit.requests] + limit.period
        }
        times.append(time)
        ledger.requests[account] = times
        return nil
    }

    package func requestTimes(account: String, since: Timestamp) -> [Timestamp] {
        (ledger.requests[account] ?? []).filter { $0 > since }.sorted()
    }

    package func recordPause(account: String, until: Timestamp) {
        if let recorded = ledger.pauses[account], recorded >= until { return }
        ledger.pauses[account] = until
    }

    package func pause(account: String, after now: Timestamp) -> Timestamp? {
        ledger.pauses[account].flatMap { $0 > now ? $0 : nil }
    }

    package func recordRefusal(_ refusal: RequestRefusal) {
        ledger.refusals["\(refusal.account)\u{1F}\(refusal.shape)"] = refusal
    }

    package func refusal(account: String, shape: String) -> RequestRefusal? {
        ledger.refusals["\(account)\u{1F}\(shape)"]
    }

    package func refusals(account: String) -> [RequestRefusal] {
        ledger.refusals.values.filter { $0.account == account }.sorted { $0.shape < $1.shape }
    }
}

/// How long request times are kept beyond their window (for `ticktop sources` and a limit raised later).
enum RequestLedgerRetention {
    static let extra = Duration.seconds(86_400)
}

/// What `InMemoryStore` keeps for its `RequestLedger` conformance.
struct InMemoryLedger {
    var requests: [String: [Timestamp]] = [:]
    var pauses: [String: Timestamp] = [:]
    /// By account and shape.
    var refusals: [String: RequestRefusal] = [:]
}
