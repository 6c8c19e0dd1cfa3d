import GRDB

/// The request ledger in the database, so that processes sharing the file share each budget.
/// A reservation is one IMMEDIATE transaction: the count and the insert cannot interleave with
/// another process's.
extension SQLiteStore: RequestLedger {
    public func reserveRequest(account: String, at time: Timestamp, within limit: RateLimit)
        async throws(StoreError) -> Timestamp?
    {
        let start = (time - limit.period).nanoseconds
        let forgetBefore = (time - limit.period - RequestLedgerRetention.extra).nanoseconds
        let requests = limit.requests
        let periodNanoseconds = limit.period.nanosecondsValue
        do {
            return try await pool.writeWithoutTransaction { db in
                var next: Int64?
                try db.inTransaction(.immediate) {
                    if let until = try Int64.fetchOne(
                        db, sql: "SELECT until FROM provider_pauses WHERE account = ? AND until > ?",
                        arguments: [account, time.nanoseconds])
                    {
                        next = until
                        return .commit
                    }
                    try db.execute(
                        sql: "DELETE FROM request_log WHERE account = ? AND at <= ?", arguments: [account, forgetBefore])
                    // The request `requests` back from the newest in the window frees the next slot.
                    let inWindow =
                        try Int.fetchOne(
                            db, sql: "SELECT COUNT(*) FROM request_log WHERE account = ? AND at > ?",
                            arguments: [account, start]) ?? 0
                    if inWindow >= requests {
                        let oldestCounted =
                            try Int64.fetchOne(
                                db,
                                sql: "SELECT at FROM request_log WHERE account = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?",
                                arguments: [account, start, requests - 1]) ?? time.nanoseconds
                        next = oldestCounted + periodNanoseconds
                        return .commit
                    }
                    try db.execute(
                        sql: "INSERT INTO request_log (account, at) VALUES (?, ?)", arguments: [account, time.nanoseconds])
                    return .commit
                }
                return next.map(Timestamp.init(nanoseconds:))
            }
        } catch {
            throw StoreError(operation: .write, location: path, error: error)
        }
    }

    public func requestTimes(account: String, since: Timestamp) async throws(StoreError) -> [Timestamp] {
        try await reading { db in
            try Int64.fetchAll(
                db, sql: "SELECT at FROM request_log WHERE account = ? AND at > ? ORDER BY at",
                arguments: [account, since.nanoseconds]
            ).map(Timestamp.init(nanoseconds:))
        }
    }

    public func recordPause(account: String, until: Timestamp) async throws(StoreError) {
        try await writeLedger { db in
            try db.execute(
                sql: """
                    INSERT INTO provider_pauses (account, until) VALUES (?, ?)
                    ON CONFLICT (account) DO UPDATE SET until = excluded.until WHERE excluded.until > provider_pauses.until
                    """,
                arguments: [account, until.nanoseconds])
        }
    }

    public func pause(account: String, after now: Timestamp) async throws(StoreError) -> Timestamp? {
        try await reading { db in
            try Int64.fetchOne(
                db, sql: "SELECT until FROM provider_pauses WHERE account = ? AND until > ?",
                arguments: [account, now.nanoseconds]
            ).map(Timestamp.init(nanoseconds:))
        }
    }

    public func recordRefusal(_ refusal: RequestRefusal) async throws(StoreError) {
        try await writeLedger { db in
            try db.execute(
                sql: """
                    INSERT INTO refused_requests (account, shape, reason, refused_at, configuration) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (account, shape) DO UPDATE SET
                        reason = excluded.reason, refused_at = excluded.refused_at, configuration = excluded.configuration
                    """,
                arguments: [
                    refusal.account, refusal.shape, refusal.reason, refusal.refusedAt.nanoseconds, refusal.configuration
                ])
        }
    }

    public func refusal(account: String, shape: String) async throws(StoreError) -> RequestRefusal? {
        try await reading { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT reason, refused_at, configuration FROM refused_requests WHERE account = ? AND shape = ?",
                    arguments: [account, shape])
            else { return nil }
            return RequestRefusal(
                account: account, shape: shape, reason: row["reason"],
                refusedAt: Timestamp(nanoseconds: row["refused_at"]), configuration: row["configuration"])
        }
    }

    public func refusals(account: String) async throws(StoreError) -> [RequestRefusal] {
        try await reading { db in
            try Row.fetchAll(
                db, sql: "SELECT shape, reason, refused_at, configuration FROM refused_requests WHERE account = ? ORDER BY shape",
                arguments: [account]
            ).map { row in
                RequestRefusal(
                    account: account, shape: row["shape"], reason: row["reason"],
                    refusedAt: Timestamp(nanoseconds: row["refused_at"]), configuration: row["configuration"])
            }
        }
    }

    private func writeLedger(_ update: @Sendable (Database) throws -> Void) async throws(StoreError) {
        do {
            try await pool.write(update)
        } catch {
            throw StoreError(operation: .write, location: path, error: error)
        }
    }
}
