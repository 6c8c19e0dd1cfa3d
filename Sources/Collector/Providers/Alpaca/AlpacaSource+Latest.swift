/// Latest values: snapshots (what `latestQuotes` uses) and latest trades.
extension AlpacaSource {
    /// The snapshot of each symbol Alpaca knows: `/v2/stocks/snapshots?symbols=...&feed=` and
    /// `/v1beta3/crypto/us/snapshots?symbols=...`, one request per market and batch of
    /// `quoteSymbolsPerRequest`. Unknown symbols (absent from the answer or called invalid),
    /// indices and FX pairs are absent. Each request's answer is kept on its own: when some fail
    /// and others answer, it throws a `PartialAnswer` with what the others returned.
    package func snapshots(for symbols: [Symbol]) async throws -> [Symbol: AlpacaSnapshot] {
        try await perRequest(symbols) { market, batch in
            let path = market.snapshotsPath
            let wire = try await fetch(
                AlpacaWire.Snapshots.self, path: path, query: latestQuery(market, batch), batch: batch)
            let mapping = AlpacaMapping(client: client, endpoint: path, receivedAt: client.timeSource.now())
            var mapped: [Symbol: AlpacaSnapshot] = [:]
            for (symbol, name, snapshot) in matched(batch, in: wire.snapshots) {
                mapped[symbol] = try mapping.snapshot(snapshot, symbol: symbol, at: name)
            }
            return mapped
        }
    }

    /// The latest trade of each symbol Alpaca knows, in the order asked:
    /// `/v2/stocks/trades/latest?symbols=...&feed=` and `/v1beta3/crypto/us/latest/trades?symbols=...`
    /// (a `PartialAnswer` when some of these requests fail, as `snapshots`).
    package func latestTrades(for symbols: [Symbol]) async throws -> [Trade] {
        let ordered = { (found: [Symbol: Trade]) in Self.unique(symbols).compactMap { found[$0] } }
        do {
            return ordered(
                try await perRequest(symbols) { market, batch in
                    let path = market.latestTradesPath
                    let wire = try await fetch(
                        AlpacaWire.LatestTrades.self, path: path, query: latestQuery(market, batch), batch: batch)
                    let mapping = AlpacaMapping(client: client, endpoint: path, receivedAt: client.timeSource.now())
                    var mapped: [Symbol: Trade] = [:]
                    for (symbol, name, trade) in matched(batch, in: wire.trades ?? [:]) {
                        mapped[symbol] = try mapping.trade(trade, symbol: symbol, at: "trades.\(name)")
                    }
                    return mapped
                })
        } catch let partial as PartialAnswer<[Symbol: Trade]> {
            throw PartialAnswer(values: ordered(partial.values), failures: partial.failures)
        }
    }

    /// Runs `request` for each market's batch (see `batches`), dropping invalid symbols, and
    /// merges the answers. A failing request costs only its own symbols: with some answered,
    /// it throws a `PartialAnswer` of theirs; with none answered, the first failure.
    func perRequest<Value: Sendable>(
        _ symbols: [Symbol], _ request: (AlpacaMarket, [Symbol]) async throws -> [Symbol: Value]
    ) async throws -> [Symbol: Value] {
        var result: [Symbol: Value] = [:]
        var answered = 0
        var failures: [any Error] = []
        for (market, batch) in Self.batches(of: symbols) {
            do {
                let found = try await dropInvalidSymbols(batch) { try await request(market, $0) }
                result.merge(found ?? [:]) { _, new in new }
                answered += 1
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures.append(error)
            }
        }
        guard let first = failures.first else { return result }
        guard answered > 0 else { throw first }
        throw PartialAnswer(values: result, failures: failures)
    }

    /// `symbols=A,B` (Alpaca spellings) and, for stocks, the feed.
    func latestQuery(_ market: AlpacaMarket, _ symbols: [Symbol]) -> [(name: String, value: String)] {
        var query: [(name: String, value: String)] = [
            ("symbols", symbols.map(AlpacaMarket.spelling(of:)).joined(separator: ","))
        ]
        if market == .stocks { query.append(("feed", feed)) }
        return query
    }

    /// Each asked symbol found in `answer` (keyed by Alpaca's spelling, in any case), with
    /// its key and value; symbols not in the answer are left out.
    func matched<Value>(_ symbols: [Symbol], in answer: [String: Value]) -> [(Symbol, String, Value)] {
        let upper = Dictionary(answer.keys.map { ($0.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return symbols.compactMap { symbol in
            let spelling = AlpacaMarket.spelling(of: symbol)
            guard let key = answer[spelling] != nil ? spelling : upper[spelling], let value = answer[key] else {
                return nil
            }
            return (symbol, key, value)
        }
    }
}
