/// Request shapes a provider's plan refused (premium, not entitled, an unsupported symbol),
/// remembered with the provider's reason in the store (the limiter's ledger) so they are not
/// asked again on every start. A refusal holds for `RequestRefusal.retryAfter` (24 h), or until
/// the base URL or the key changes. Without a ledger it lasts as long as this process.
struct RefusalMemory: Sendable {
    let account: String
    let ledger: (any RequestLedger)?
    /// What the answer depends on: the base URL and a hash of the key (never the key).
    let configuration: String
    private let local = LocalRefusals()

    init(client: ProviderClient, credentials: ProviderCredentials) {
        account = client.limiter.account
        ledger = client.limiter.ledger
        configuration = "\(client.baseURL) key:\(Self.fingerprint(credentials.key ?? ""))"
    }

    /// The refusal of `shape` still in force at `now`, if any.
    func refusal(of shape: String, now: Timestamp) async -> RequestRefusal? {
        var found = await local.refusals[shape]
        if found == nil, let ledger { found = try? await ledger.refusal(account: account, shape: shape) }
        guard let found, found.holds(at: now, configuration: configuration) else { return nil }
        return found
    }

    func remember(_ shape: String, reason: String, now: Timestamp) async {
        let refusal = RequestRefusal(
            account: account, shape: shape, reason: reason, refusedAt: now, configuration: configuration)
        await local.set(refusal)
        try? await ledger?.recordRefusal(refusal)
    }

    /// The error for a request not sent because `refused` still holds, with the provider's reason.
    func error(
        for refused: RequestRefusal, kind: ProviderError.Kind, client: ProviderClient, endpoint: String, symbol: Symbol?
    ) -> ProviderError {
        client.error(
            kind, endpoint: endpoint, symbol: symbol,
            message: "refused by the provider at \(refused.refusedAt) (\(refused.reason)); "
                + "not asked again before \(refused.refusedAt + RequestRefusal.retryAfter)")
    }

    /// Sends `request` unless `shape` was refused as not entitled; remembers such a refusal.
    func guarding<T: Sendable>(
        _ shape: String, client: ProviderClient, endpoint: String, symbol: Symbol?,
        _ request: () async throws -> T
    ) async throws -> T {
        let now = client.timeSource.now()
        if let refused = await refusal(of: shape, now: now) {
            throw error(for: refused, kind: .notEntitled, client: client, endpoint: endpoint, symbol: symbol)
        }
        do {
            return try await request()
        } catch let failure as ProviderError where failure.kind == .notEntitled {
            await remember(shape, reason: failure.message, now: now)
            throw failure
        }
    }

    /// FNV-1a (64 bits) of `key`, in hex: tells one key from another without revealing either.
    static func fingerprint(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

private actor LocalRefusals {
    var refusals: [String: RequestRefusal] = [:]
    func set(_ refusal: RequestRefusal) { refusals[refusal.shape] = refusal }
}
