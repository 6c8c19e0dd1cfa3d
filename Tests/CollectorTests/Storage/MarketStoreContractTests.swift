import Collector
import CollectorTestSupport
import Testing

/// The behaviour every `MarketStore` must share, run against each implementation.
@Suite("MarketStore contract")
struct MarketStoreContractTests {
    typealias S = StoreSamples

    @Test(arguments: StoreFactory.all)
    func writingTheSameBarsTwiceChangesNothing(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let bars = (0..<5).map { S.bar($0) }
            let first = try await store.write(StoreBatch(bars: bars))
            #expect(first == StoreWriteResult(barsInserted: 5, barsAlreadyStored: 0))

            let second = try await store.write(StoreBatch(bars: bars))
            #expect(second == StoreWriteResult(barsInserted: 0, barsAlreadyStored: 5))

            #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 5)
            let stored = try await store.bars(
                symbol: S.aapl, timeframe: .oneMinute, source: S.alpaca, in: S.origin...(S.origin + .seconds(3600)))
            #expect(stored == bars)
            #expect(try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything).isEmpty)
        }
    }

    @Test(arguments: StoreFactory.all)
    func aBarSentAgainWithOtherValuesIsARevisionThatKeepsTheEarlierVersion(factory: StoreFactory) async throws {
        let time = FixedTimeSource(S.origin + .seconds(3600))
        try await factory.withStore(timeSource: time) { store async throws in
            let firstReceived = time.now()
            let bars = (0..<3).map { S.bar($0) }
            try await store.write(StoreBatch(bars: bars))

            time.advance(by: .seconds(90))
            let revised = [S.bar(1, close: 101.75), S.bar(2)]
            let result = try await store.write(StoreBatch(bars: revised))
            var expected = StoreWriteResult(barsInserted: 0, barsAlreadyStored: 1)
            expected.barsRevised = 1
            expected.revisedBySource = [S.alpaca: 1]
            #expect(result == expected)

            let stored = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: S.everything)
            #expect(stored == [bars[0], revised[0], bars[2]])
            let revisions = try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything)
            #expect(revisions == [BarRevision(bar: bars[1], receivedAt: firstReceived, replacedAt: time.now())])
            #expect(try await store.barRevisions(symbol: S.msft, timeframe: .oneMinute, in: S.everything).isEmpty)
        }
    }

    @Test(arguments: StoreFactory.all)
    func aDuplicateInsideOneBatchWithOtherValuesIsARevision(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let result = try await store.write(StoreBatch(bars: [S.bar(1), S.bar(1, close: 7), S.bar(2), S.bar(2)]))
            var expected = StoreWriteResult(barsInserted: 2, barsAlreadyStored: 1)
            expected.barsRevised = 1
            expected.revisedBySource = [S.alpaca: 1]
            #expect(result == expected)
            let stored = try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10)
            #expect(stored == [S.bar(1, close: 7), S.bar(2)])
            let revisions = try await store.barRevisions(symbol: S.aapl, timeframe: .oneMinute, in: S.everything)
            #expect(revisions.map(\.bar) == [S.bar(1)])
        }
    }

    @Test(arguments: StoreFactory.all)
    func revisionsAreCountedPerSourceThatSentThem(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let first = (0..<3).flatMap { [S.bar($0, source: S.alpaca), S.bar($0, source: S.yahoo)] }
            #expect(try await store.write(StoreBatch(bars: first)).revisedBySource.isEmpty)

            let again = [
                S.bar(0, source: S.alpaca, close: 90), S.bar(1, source: S.alpaca),
                S.bar(0, source: S.yahoo, close: 91), S.bar(1, source: S.yahoo, close: 92), S.bar(2, source: S.yahoo, close: 93),
                S.bar(5, source: S.yahoo)
            ]
            let result = try await store.write(StoreBatch(bars: again))
            #expect(result.revisedBySource == [S.alpaca: 1, S.yahoo: 3])
            #expect(result.barsRevised == 4 && result.barsAlreadyStored == 1 && result.barsInserted == 1)
        }
    }

    @Test(arguments: StoreFactory.all)
    func barsComeBackOldestFirstWithinTheRange(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let alpaca = (0..<6).map { S.bar($0, source: S.alpaca) }
            let yahoo = (0..<6).map { S.bar($0, source: S.yahoo) }
            let noise = [S.bar(2, symbol: S.msft), S.bar(2, timeframe: .fiveMinutes)]
            try await store.write(StoreBatch(bars: (alpaca + yahoo + noise).reversed()))

            let range = (S.origin + .seconds(60))...(S.origin + .seconds(180))
            let all = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: range)
            #expect(all == [alpaca[1], yahoo[1], alpaca[2], yahoo[2], alpaca[3], yahoo[3]])

            let onlyYahoo = try await store.bars(symbol: S.aapl, timeframe: .oneMinute, source: S.yahoo, in: range)
            #expect(onlyYahoo == Array(yahoo[1...3]))

            let empty = try await store.bars(
                symbol: S.aapl, timeframe: .oneMinute, source: nil, in: (S.origin - .seconds(60))...(S.origin - .seconds(1)))
            #expect(empty.isEmpty)
            #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 12)
            #expect(try await store.barCount(symbol: S.msft, timeframe: .oneMinute) == 1)
        }
    }

    @Test(arguments: StoreFactory.all)
    func recentBarsKeepsTheNewestUpToTheLimit(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let bars = (0..<10).map { S.bar($0) }
            try await store.write(StoreBatch(bars: bars.shuffled()))
            try await store.write(StoreBatch(bars: [S.bar(20, source: S.yahoo)]))

            let recent = try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: S.alpaca, limit: 3)
            #expect(recent == Array(bars[7...9]))
            let mixed = try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 2)
            #expect(mixed == [bars[9], S.bar(20, source: S.yahoo)])
            let everything = try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: S.alpaca, limit: 50)
            #expect(everything == bars)
            #expect(try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 0).isEmpty)
        }
    }

    @Test(arguments: StoreFactory.all)
    func latestBarStartIsPerSource(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            #expect(try await store.latestBarStart(symbol: S.aapl, timeframe: .oneMinute, source: S.alpaca) == nil)
            try await store.write(StoreBatch(bars: [S.bar(4), S.bar(9), S.bar(2), S.bar(30, source: S.yahoo)]))
            let latest = try await store.latestBarStart(symbol: S.aapl, timeframe: .oneMinute, source: S.alpaca)
            #expect(latest == S.origin + .seconds(9 * 60))
            #expect(try await store.latestBarStart(symbol: S.aapl, timeframe: .oneHour, source: S.alpaca) == nil)
        }
    }

    @Test(arguments: StoreFactory.all)
    func aQuoteReplacesTheStoredOneOnlyWhenNotOlder(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let first = S.quote(bid: 10, receivedAt: 100, last: 10.01)
            #expect(try await store.write(StoreBatch(quotes: [first])).quotesWritten == 1)

            let older = S.quote(bid: 9, receivedAt: 99)
            #expect(try await store.write(StoreBatch(quotes: [older])).quotesWritten == 0)
            #expect(try await store.latestQuotes() == [first])

            let sameTime = S.quote(bid: 11, receivedAt: 100)
            let msft = S.quote(symbol: S.msft, bid: 400, receivedAt: 1)
            let yahoo = S.quote(source: S.yahoo, bid: 12, receivedAt: 50, last: 12)
            let result = try await store.write(StoreBatch(quotes: [msft, yahoo, sameTime]))
            #expect(result.quotesWritten == 3)
            #expect(try await store.latestQuotes() == [sameTime, yahoo, msft])

            let newer = S.quote(bid: 13, receivedAt: 101)
            let stale = S.quote(bid: 8, receivedAt: 100)
            #expect(try await store.write(StoreBatch(quotes: [newer, stale])).quotesWritten == 1)
            #expect(try await store.latestQuotes() == [newer, yahoo, msft])
        }
    }

    /// A write merges several ingest batches, each with the same symbols: it stores what writing
    /// every quote in order would, and counts one written row per symbol and source.
    @Test(arguments: StoreFactory.all)
    func aWriteStoresTheNewestQuoteOncePerSymbolAndSource(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            try await store.write(StoreBatch(quotes: [S.quote(source: S.yahoo, bid: 20, receivedAt: 200)]))
            let first = S.quote(bid: 10, receivedAt: 101)
            let newest = S.quote(bid: 11, receivedAt: 102, last: 11)
            let sameTime = S.quote(bid: 12, receivedAt: 102)
            let late = S.quote(bid: 9, receivedAt: 100)
            let olderYahoo = S.quote(source: S.yahoo, bid: 19, receivedAt: 199)
            let msft = S.quote(symbol: S.msft, bid: 400, receivedAt: 1)
            let result = try await store.write(StoreBatch(quotes: [first, msft, newest, olderYahoo, sameTime, late]))
            #expect(result.quotesWritten == 2, "AAPL from Alpaca once, MSFT once; Yahoo's older quote replaces nothing")
            #expect(try await store.latestQuotes() == [sameTime, S.quote(source: S.yahoo, bid: 20, receivedAt: 200), msft])
        }
    }

    @Test(arguments: StoreFactory.all)
    func anomaliesComeBackNewestFirstWithTheirSubject(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let trade = Trade(
                symbol: S.msft, source: S.yahoo, price: 410.5, size: 7, exchangeTime: S.origin,
                receivedAt: S.origin + .milliseconds(3), tradeID: "t-1")
            let crossed = S.anomaly("crossed-quote", detectedAt: 10, subject: .quote(S.quote(bid: 5, receivedAt: 9, last: 5)))
            let spike = S.anomaly("price-spike", detectedAt: 30, subject: .trade(trade))
            let gap = S.anomaly("bar-gap", detectedAt: 30, subject: .bar(S.bar(3)))
            let early = S.anomaly("stale", detectedAt: 5, subject: .bar(S.bar(1, source: S.yahoo)))
            let result = try await store.write(StoreBatch(anomalies: [crossed, spike]))
            #expect(result.anomaliesWritten == 2)
            try await store.write(StoreBatch(anomalies: [gap, early]))

            #expect(try await store.recentAnomalies(limit: 10) == [gap, spike, crossed, early])
            #expect(try await store.recentAnomalies(limit: 2) == [gap, spike])
            #expect(try await store.recentAnomalies(limit: 0).isEmpty)
        }
    }

    @Test(arguments: StoreFactory.all)
    func nonFiniteAnomalyFieldsSurviveTheRoundTrip(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            var bad = S.bar(1)
            bad.high = .nan
            let anomaly = Anomaly(
                rule: "nan-price", severity: .error, fields: [.init("high", .nan)], message: "high is NaN",
                detectedAt: S.origin, subject: .bar(bad))
            try await store.write(StoreBatch(anomalies: [anomaly]))
            let stored = try #require(try await store.recentAnomalies(limit: 1).first)
            #expect(stored.fields.count == 1 && stored.fields[0].value.isNaN)
            guard case .bar(let subject) = stored.subject else {
                Issue.record("the subject is not a bar: \(stored.subject)")
                return
            }
            #expect(subject.high.isNaN && subject.close == bad.close && subject.start == bad.start)
        }
    }

    @Test(arguments: StoreFactory.all)
    func aBatchWithANaNBarIsRejectedWhole(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            var bad = S.bar(2)
            bad.close = .nan
            let error = await #expect(throws: StoreError.self) {
                try await store.write(StoreBatch(quotes: [S.quote(bid: 1, receivedAt: 1)], bars: [S.bar(1), bad]))
            }
            #expect(error?.kind == .invalidValue)
            #expect(error?.operation == .write)
            #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 0)
            #expect(try await store.latestQuotes().isEmpty)
        }
    }

    @Test(arguments: StoreFactory.all)
    func anEmptyBatchWritesNothing(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            #expect(try await store.write(StoreBatch()) == StoreWriteResult())
            #expect(try await store.recentAnomalies(limit: 5).isEmpty)
        }
    }
}

extension MarketStoreContractTests {
    @Test(arguments: StoreFactory.all)
    func barStartsAreDistinctOldestFirstAndFilteredBySource(factory: StoreFactory) async throws {
        try await factory.withStore { store async throws in
            let alpaca = [0, 1, 3, 5].map { S.bar($0, source: S.alpaca) }
            let yahoo = [1, 2, 6].map { S.bar($0, source: S.yahoo) }
            let noise = [S.bar(2, symbol: S.msft), S.bar(4, timeframe: .fiveMinutes)]
            try await store.write(StoreBatch(bars: (alpaca + yahoo + noise).reversed()))
            let range = (S.origin + .seconds(60))...(S.origin + .seconds(300))
            let minute: (Int) -> Timestamp = { S.origin + .seconds(Int64($0) * 60) }

            let all = try await store.barStarts(symbol: S.aapl, timeframe: .oneMinute, source: nil, in: range)
            #expect(all == [1, 2, 3, 5].map(minute))
            let fromAlpaca = try await store.barStarts(symbol: S.aapl, timeframe: .oneMinute, source: S.alpaca, in: range)
            #expect(fromAlpaca == [1, 3, 5].map(minute))
        }
    }
}
