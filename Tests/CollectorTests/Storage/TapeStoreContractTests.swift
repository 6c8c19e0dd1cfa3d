import Collector
import CollectorTestSupport
import Testing

/// The tape (`TickStore`) every store that keeps one must share: memory and SQLite.
@Suite("Tape store contract")
struct TapeStoreContractTests {
    typealias S = StoreSamples

    static let stores = [StoreFactory.inMemory, StoreFactory.sqlite]

    /// A quote with every field, a last-trade quote (no book), trades with and without an id, at
    /// nanosecond times, with numbers that are not short in binary.
    static func sample() -> [Tick] {
        let t = S.origin + .nanoseconds(123_456_789)
        return [
            Tick(
                kind: .quote, symbol: S.aapl, source: S.alpaca, exchangeTime: t, receivedAt: t + .nanoseconds(4_000_321),
                bid: 211.41, bidSize: 3, ask: 211.43, askSize: 0.1 + 0.2, price: 211.42),
            Tick(kind: .quote, symbol: S.aapl, source: S.yahoo, exchangeTime: t, receivedAt: t - .seconds(2), price: 211.4),
            Tick(
                kind: .trade, symbol: S.aapl, source: S.alpaca, exchangeTime: t + .nanoseconds(1), receivedAt: t + .seconds(1),
                price: 211.425, size: 100, tradeID: "52983525029461"),
            Tick(
                kind: .trade, symbol: S.msft, source: S.alpaca, exchangeTime: t + .seconds(5), receivedAt: t + .seconds(5),
                price: 410.12, size: 1e-9),
            Tick(
                kind: .quote, symbol: S.aapl, source: S.alpaca, exchangeTime: t + .seconds(60), receivedAt: t + .seconds(60),
                bid: 211.5, bidSize: 1, ask: nil, askSize: nil)
        ]
    }

    @Test(arguments: stores)
    func ticksReadBackWithExactValuesInTimeThenWriteOrder(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let tape = try #require(store as? any TickStore)
            let ticks = Self.sample()
            // Two writes: the second reuses the ids the first gave the symbols and sources.
            #expect(try await tape.writeTicks(Array(ticks.prefix(2))) == 2)
            #expect(try await tape.writeTicks(Array(ticks.dropFirst(2))) == 3)
            let aapl = try await tape.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 100)
            #expect(aapl == [ticks[0], ticks[1], ticks[2], ticks[4]])
            #expect(try await tape.ticks(symbol: S.msft, source: nil, in: S.everything, limit: 100) == [ticks[3]])
            #expect(try await tape.ticks(symbol: S.aapl, source: S.yahoo, in: S.everything, limit: 100) == [ticks[1]])
            // Events again: the quote and the trade as they came.
            #expect(ticks[2].event == .trade(Trade(
                symbol: S.aapl, source: S.alpaca, price: 211.425, size: 100, exchangeTime: ticks[2].exchangeTime,
                receivedAt: ticks[2].receivedAt, tradeID: "52983525029461")))
        }
    }

    @Test(arguments: stores)
    func aRangeAndALimitNarrowTheTape(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let tape = try #require(store as? any TickStore)
            let ticks = (0..<10).map { n in
                Tick(
                    kind: .trade, symbol: S.aapl, source: S.alpaca, exchangeTime: S.origin + .seconds(Int64(n)),
                    receivedAt: S.origin + .seconds(Int64(n)), price: 100 + Double(n), size: 1)
            }
            try await tape.writeTicks(ticks)
            let range = (S.origin + .seconds(2))...(S.origin + .seconds(5))
            #expect(try await tape.ticks(symbol: S.aapl, source: nil, in: range, limit: 100) == Array(ticks[2...5]))
            #expect(try await tape.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 3) == Array(ticks[7...9]))
            #expect(try await tape.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 0).isEmpty)
            #expect(try await tape.ticks(symbol: S.msft, source: nil, in: S.everything, limit: 10).isEmpty)
        }
    }

    /// The read path over many writes whose times overlap (a late write carries older ticks): every
    /// symbol, source, range and limit gives what a plain filter of the written ticks gives, oldest
    /// first, ties in the order written, the newest `limit` when there are more.
    @Test(arguments: stores)
    func readsOverManyOverlappingWritesMatchAPlainFilter(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let tape = try #require(store as? any TickStore)
            let symbols = [S.aapl, S.msft, try Symbol("RARE")]
            var seed: UInt64 = 7
            func next(_ bound: Int) -> Int {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Int(seed >> 33) % bound
            }
            var written: [Tick] = []
            for write in 0..<40 {
                // Every fifth write is late: its ticks are up to 30 s older than the ones before it.
                let base = Int64(write) * 10 - (write % 5 == 4 ? 30 : 0)
                let batch = (0..<(1 + next(25))).map { n in
                    // Whole seconds: many ticks share a time, so ties are common.
                    let time = S.origin + .seconds(base + Int64(next(10)))
                    let symbol = next(40) == 0 ? symbols[2] : symbols[next(2)]
                    return Tick(
                        kind: .trade, symbol: symbol, source: next(3) == 0 ? S.yahoo : S.alpaca, exchangeTime: time,
                        receivedAt: time, price: Double(write * 100 + n), size: 1)
                }
                try await tape.writeTicks(batch)
                written += batch
            }
            for symbol in symbols {
                for source in [nil, S.alpaca, S.yahoo] {
                    for range in [S.everything, (S.origin + .seconds(95))...(S.origin + .seconds(180)), S.origin...S.origin] {
                        for limit in [1, 7, 50, 10_000] {
                            // The order written, stably sorted by time: ties stay in the order written.
                            let matching = written.enumerated().filter { _, tick in
                                tick.symbol == symbol && (source == nil || tick.source == source)
                                    && range.contains(tick.exchangeTime)
                            }.sorted { ($0.element.exchangeTime, $0.offset) < ($1.element.exchangeTime, $1.offset) }
                            let expected = Array(matching.suffix(limit).map(\.element))
                            let read = try await tape.ticks(symbol: symbol, source: source, in: range, limit: limit)
                            #expect(read == expected, "\(symbol) \(source?.rawValue ?? "all") \(range) limit \(limit)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: stores)
    func aNaNIsStoredAsAbsent(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let tape = try #require(store as? any TickStore)
            let tick = Tick(
                kind: .quote, symbol: S.aapl, source: S.alpaca, exchangeTime: S.origin, receivedAt: S.origin, bid: .nan,
                bidSize: 1, ask: 2, askSize: .nan)
            try await tape.writeTicks([tick])
            var expected = tick
            (expected.bid, expected.askSize) = (nil, nil)
            #expect(try await tape.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 1) == [expected])
        }
    }

    @Test func theSQLiteTapeOutlivesItsStoreAndKeepsItsIDs() async throws {
        let directory = try TemporaryDirectory(prefix: "ticktop-tape")
        defer { directory.remove() }
        let path = directory.path("t.sqlite")
        let ticks = Self.sample()
        try await SQLiteStore(path: path).writeTicks(Array(ticks.prefix(3)))
        let reopened = try SQLiteStore(path: path)
        try await reopened.writeTicks(Array(ticks.dropFirst(3)))
        #expect(try await reopened.ticks(symbol: S.aapl, source: nil, in: S.everything, limit: 10) == [ticks[0], ticks[1], ticks[2], ticks[4]])
        let readOnly = try SQLiteStore(path: path, readOnly: true)
        #expect(try await readOnly.ticks(symbol: S.msft, source: nil, in: S.everything, limit: 10) == [ticks[3]])
        await #expect(throws: StoreError.self) { try await readOnly.writeTicks([ticks[0]]) }
    }
}
