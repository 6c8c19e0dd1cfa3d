/// Reading the `[freshness]` table.
extension ConfigurationParser {
    static let freshnessKeys = ["equity", "equity_extended", "index", "fx", "crypto", "source", "clear_after"]

    /// Thresholds by asset class and session. Keys left out keep their defaults,
    /// which follow `general.stale_after` when it is set (`FreshnessPolicy(staleAfter:)`),
    /// so a file written before `[freshness]` existed behaves as it did. `equity_extended`
    /// left out is 5 minutes, or `equity` if that is longer.
    func freshness(_ table: ConfigTable?, staleAfter: Duration) throws(ConfigError) -> FreshnessPolicy {
        var policy = FreshnessPolicy(staleAfter: staleAfter)
        guard let table else { return policy }
        try table.checkKeys(allowed: Self.freshnessKeys)
        policy.equity = try table.duration("equity") ?? policy.equity
        policy.equityExtended = try table.duration("equity_extended") ?? max(policy.equityExtended, policy.equity)
        policy.index = try table.duration("index") ?? policy.index
        policy.fx = try table.duration("fx") ?? policy.fx
        policy.crypto = try table.duration("crypto") ?? policy.crypto
        policy.source = try table.duration("source") ?? policy.source
        policy.clearAfter = try table.duration("clear_after") ?? policy.clearAfter
        return policy
    }
}
