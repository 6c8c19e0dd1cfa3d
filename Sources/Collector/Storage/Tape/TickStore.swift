/// A store that keeps the tape: every trade and quote as received (`[store] ticks = true`).
/// SQLite and the memory store keep one; PostgreSQL does not yet (the configuration says so).
package protocol TickStore: Sendable {
    /// Appends the ticks in one transaction, in order; returns how many were written.
    @discardableResult
    func writeTicks(_ ticks: [Tick]) async throws -> Int

    /// The ticks of `symbol` with an exchange time in `range`, oldest first (ticks with the same time
    /// in the order received); from every source when `source` is nil; at most `limit`, the
    /// newest ones when there are more.
    func ticks(symbol: Symbol, source: SourceID?, in range: ClosedRange<Timestamp>, limit: Int) async throws -> [Tick]
}
