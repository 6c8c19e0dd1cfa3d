import PostgresNIO

/// The request ledger in PostgreSQL, so that every collector on the database shares each budget.
/// A reservation is one transaction holding an advisory lock on the account: the count and the
/// insert cannot interleave with another process's.
extension PostgresStore: RequestLedger {
    public func reserveRequest(account: String, at time: Timestamp, within limit: RateLimit)
        async throws(StoreError) -> Timestamp?
    {
        let start = (time - limit.period).nanoseconds
        let forgetBefore = (time - limit.period - RequestLedgerRetention.extra).nanoseconds
        let (requests, periodNanoseconds, logger) = (limit.requests, limit.period.nanosecondsValue, logger)
        return try await inTransaction(.write) { connection in
            _ = try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext(\("ticktop-ledger:" + account)))", logger: logger)
            for try await until in try await connection.query(
                "SELECT until FROM provider_pauses WHERE account = \(account) AND until > \(time.nanoseconds)", logger: logger
            ).decode(Int64.self) {
                return Timestamp(nanoseconds: until)
            }
            _ = try await connection.query(
                "DELETE FROM request_log WHERE account = \(account) AND at <= \(forgetBefore)", logger: logger)
            // The request `requests` back from the newest in the window frees the next slot.
            var inWindow: Int64 = 0
            for try await count in try await connection.query(
                "SELECT COUNT(*) FROM request_log WHERE account = \(account) AND at > \(start)", logger: logger
            ).decode(Int64.self) {
                inWindow = count
            }
            if inWindow >= Int64(requests) {
                var oldestCounted = time.nanoseconds
                for try await at in try await connection.query(
                    """
                    SELECT at FROM request_log WHERE account = \(account) AND at > \(start)
                    ORDER BY at DESC LIMIT 1 OFFSET \(requests - 1)
                    """, logger: logger
                ).decode(Int64.self) {
                    oldestCounted = at
                }
                return Timestamp(nanoseconds: oldestCounted + periodNanoseconds)
            }
            _ = try await connection.query(
                "INSERT INTO request_log (account, at) VALUES (\(account), \(time.nanoseconds))", logger: logger)
            return nil
        }
    }

    public func requestTimes(account: String, since: Timestamp) async throws(StoreError) -> [Timestamp] {
        try await fetch("SELECT at FROM request_log WHERE account = \(account) AND at > \(since.nanoseconds) ORDER BY at") {
            Timestamp(nanoseconds: try $0.decode(Int64.self))
        }
    }

    public func recordPause(account: String, until: Timestamp) async throws(StoreError) {
        try await execute(
            """
            INSERT INTO provider_pauses (account, until) VALUES (\(account), \(until.nanoseconds))
            ON CONFLICT (account) DO UPDATE SET until = excluded.until WHERE excluded.until > provider_pauses.until
            """)
    }

    public func pause(account: String, after now: Timestamp) async throws(StoreError) -> Timestamp? {
        try await fetch("SELECT until FROM provider_pauses WHERE account = \(account) AND until > \(now.nanoseconds)") {
            Timestamp(nanoseconds: try $0.decode(Int64.self))
        }.first
    }

    public func recordRefusal(_ refusal: RequestRefusal) async throws(StoreError) {
        try await execute(
            """
            INSERT INTO refused_requests (account, shape, reason, refused_at, configuration)
            VALUES (\(refusal.account), \(refusal.shape), \(refusal.reason), \(refusal.refusedAt.nanoseconds), \(refusal.configuration))
            ON CONFLICT (account, shape) DO UPDATE SET
                reason = excluded.reason, refused_at = excluded.refused_at, configuration = excluded.configuration
            """)
    }

    public func refusal(account: String, shape: String) async throws(StoreError) -> RequestRefusal? {
        try await fetch(
            "SELECT reason, refused_at, configuration FROM refused_requests WHERE account = \(account) AND shape = \(shape)"
        ) { row in
            let (reason, refusedAt, configuration) = try row.decode((String, Int64, String).self)
            return RequestRefusal(
                account: account, shape: shape, reason: reason, refusedAt: Timestamp(nanoseconds: refusedAt),
                configuration: configuration)
        }.first
    }

    public func refusals(account: String) async throws(StoreError) -> [RequestRefusal] {
        try await fetch(
            "SELECT shape, reason, refused_at, configuration FROM refused_requests WHERE account = \(account) ORDER BY shape"
        ) { row in
            let (shape, reason, refusedAt, configuration) = try row.decode((String, String, Int64, String).self)
            return RequestRefusal(
                account: account, shape: shape, reason: reason, refusedAt: Timestamp(nanoseconds: refusedAt),
                configuration: configuration)
        }
    }

    /// Runs one statement that returns no rows.
    private func execute(_ query: PostgresQuery) async throws(StoreError) {
        let logger = logger
        try await withConnection(.write) { connection in
            _ = try await connection.query(query, logger: logger)
        }
    }
}
