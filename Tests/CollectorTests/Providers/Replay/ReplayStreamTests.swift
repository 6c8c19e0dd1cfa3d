import CollectorTestSupport
import Foundation
import Testing

@testable import Collector

@Suite("Replay stream", .timeLimit(.minutes(1)))
struct ReplayStreamTests {
    typealias F = ReplayFixtures

    /// AAPL and MSFT at 14:30:00, AAPL at :02 and :02.5, MSFT at :07.
    static let file = F.quoteFile([
        ("AAPL", "2024-03-01T14:30:00Z", 100), ("MSFT", "2024-03-01T14:30:00Z", 200),
        ("AAPL", "2024-03-01T14:30:02Z", 101), ("AAPL", "2024-03-01T14:30:02.5Z", 102),
        ("MSFT", "2024-03-01T14:30:07Z", 201)
    ])

    func source(
        speed: Double = 1, loop: Bool = false, clock: ManualClock, text: String = file,
        maximumGap: Duration = ReplaySource.defaultMaximumGap
    ) throws -> (ReplaySource, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let path = try F.write(text, "quotes.csv", in: directory)
        return (try F.source(path, speed: speed, loop: loop, clock: clock, maximumGap: maximumGap), directory)
    }

    /// The next batch, split by kind; fails the test when the stream ended.
    func nextBatch(_ iterator: inout AsyncThrowingStream<[MarketEvent], any Error>.Iterator) async throws
        -> (quotes: [Quote], bars: [Bar])
    {
        let batch = try #require(try await iterator.next())
        return (F.quotes(batch), F.bars(batch))
    }

    @Test func playsInOrderWithEqualTimesInOneBatchAtRecordedPace() async throws {
        let clock = ManualClock()
        let (source, _) = try source(clock: clock)
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(F.quotes(first).map(\.symbol) == [F.aapl, F.msft])
        #expect(F.quotes(first).map(\.bid) == [100, 200])
        #expect(
            F.quotes(first).allSatisfy { $0.exchangeTime == clock.now() && $0.receivedAt == clock.now() && $0.source == F.id })

        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .milliseconds(1999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        let second = try #require(try await iterator.next())
        #expect(F.quotes(second).map(\.bid) == [101])
        #expect(second.first?.time == clock.epoch + .seconds(2))

        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .milliseconds(500))
        let third = try #require(try await iterator.next())
        #expect(F.quotes(third).map(\.bid) == [102] && third.first?.time == clock.epoch + .milliseconds(2500))

        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .milliseconds(4500))
        let fourth = try #require(try await iterator.next())
        #expect(F.quotes(fourth).map(\.symbol) == [F.msft] && fourth.first?.time == clock.epoch + .seconds(7))
        #expect(try await iterator.next() == nil)
    }

    /// Rows more than 292 years apart (the fuzzer's 1721 beside 2024) overflowed the recorded
    /// gap and trapped; the wait is the maximum gap, as for any long pause. A received time
    /// centuries from its time is a bad row, named.
    @Test func rowsCenturiesApartWaitTheMaximumGapAndAFarReceivedTimeIsABadRow() async throws {
        let clock = ManualClock()
        let text = """
            symbol,time,bid,ask,received
            AAPL,1721-03-01T14:30:00Z,100,101,
            AAPL,2024-03-01T14:30:00Z,102,103,
            AAPL,2024-03-01T14:31:00Z,104,105,1690-01-01T00:00:00Z

            """
        let (source, _) = try source(clock: clock, text: text, maximumGap: .seconds(30))
        #expect(source.problems.map(\.description).contains { $0.contains("line 4") && $0.contains("centuries away") })
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        #expect(try await nextBatch(&iterator).quotes.map(\.bid) == [100])
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .seconds(30))
        #expect(try await nextBatch(&iterator).quotes.map(\.bid) == [102])
        #expect(try await iterator.next() == nil)
    }

    @Test func tenTimesFasterWaitsATenth() async throws {
        let clock = ManualClock()
        let (source, _) = try source(speed: 10, clock: clock)
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        _ = try await iterator.next()
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .milliseconds(199))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        let second = try #require(try await iterator.next())
        #expect(second.first?.time == clock.epoch + .milliseconds(200))
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .milliseconds(50))
        let third = try #require(try await iterator.next())
        #expect(third.first?.time == clock.epoch + .milliseconds(250))
    }

    @Test func longGapsAreCapped() async throws {
        let clock = ManualClock()
        // Daily bars over a weekend: Friday, Monday, Tuesday.
        let (source, _) = try source(
            clock: clock,
            text: """
                symbol,timeframe,start,open,high,low,close,volume
                AAPL,1Day,2024-03-01,1,2,0.5,1.5,10
                AAPL,1Day,2024-03-04,1.5,2.5,1,2,20
                AAPL,1Day,2024-03-05,2,3,1.5,2.5,30
                """, maximumGap: .seconds(5))
        var iterator = source.liveStream(for: [F.aapl]).makeAsyncIterator()
        let first = try #require(try await iterator.next())
        // A bar plays when it ends, so its start lies one bar length before now.
        #expect(F.bars(first).map(\.start) == [clock.now() - .seconds(86_400)])
        #expect(F.bars(first).map(\.close) == [1.5])
        // The file has only bars for AAPL: each comes with a last-trade quote at its close, at its end.
        #expect(F.quotes(first).map(\.last) == [1.5])
        #expect(F.quotes(first).map(\.exchangeTime) == [clock.now()])
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .seconds(5))
        let second = try #require(try await iterator.next())
        #expect(F.bars(second).map(\.close) == [2] && F.bars(second).first?.start == clock.now() - .seconds(86_400))
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .seconds(5))
        #expect(try await nextBatch(&iterator).bars.map(\.close) == [2.5])
    }

    @Test func defaultCapIsOneMinuteDividedBySpeed() {
        let day: Int64 = 86_400_000_000_000
        #expect(ReplayPlayer.wait(forRecordedGap: 3 * day, speed: 1, maximumGap: ReplaySource.defaultMaximumGap) == .seconds(60))
        #expect(ReplayPlayer.wait(forRecordedGap: 3 * day, speed: 10, maximumGap: ReplaySource.defaultMaximumGap) == .seconds(6))
        #expect(ReplayPlayer.wait(forRecordedGap: 30_000_000_000, speed: 1, maximumGap: .seconds(60)) == .seconds(30))
        #expect(ReplayPlayer.wait(forRecordedGap: 1, speed: 3, maximumGap: .seconds(60)) == .zero)
    }

    @Test func loopsBackToTheStartWithTimesMovingOn() async throws {
        let clock = ManualClock()
        let (source, _) = try source(
            loop: true, clock: clock,
            text: F.quoteFile([
                ("AAPL", "2024-03-01T14:30:00Z", 100), ("AAPL", "2024-03-01T14:30:03Z", 103)
            ]))
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        var seen: [(Double?, Timestamp)] = []
        for step in 0..<5 {
            if step > 0 {
                await clock.waitForSleeper(named: "replay gap")
                clock.advance(by: .seconds(step % 2 == 1 ? 3 : 1))  // the file's gap, then the 1 s loop pause
            }
            let quote = try #require(try await nextBatch(&iterator).quotes.first)
            seen.append((quote.bid, quote.exchangeTime))
        }
        #expect(seen.map(\.0) == [100, 103, 100, 103, 100])
        #expect(seen.map(\.1) == [0, 3, 4, 7, 8].map { clock.epoch + .seconds($0) })
    }

    @Test func onlyTheRequestedSymbolsAndTheirGaps() async throws {
        let clock = ManualClock()
        let (source, _) = try source(clock: clock)
        var iterator = source.liveStream(for: [F.msft, F.ibm]).makeAsyncIterator()
        let first = try #require(try await iterator.next())
        #expect(first.map(\.symbol) == [F.msft])
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .seconds(7))
        let second = try #require(try await iterator.next())
        #expect(second.map(\.symbol) == [F.msft] && F.quotes(second).first?.bid == 201)
        #expect(second.first?.time == clock.epoch + .seconds(7))
        #expect(try await iterator.next() == nil)
    }

    @Test func symbolsTheFilesLackEndTheStreamWithAReason() async throws {
        let clock = ManualClock()
        let (source, _) = try source(clock: clock)
        var iterator = source.liveStream(for: [F.ibm]).makeAsyncIterator()
        await #expect {
            _ = try await iterator.next()
        } throws: { error in
            error as? ProviderError
                == .unavailable(source: F.id, reason: "the replay files hold no values for IBM (they hold AAPL, MSFT)")
        }
    }

    @Test func recordedDelaysCarryOverAndTimesNeverGoBackwards() async throws {
        let clock = ManualClock()
        let (source, _) = try source(
            clock: clock,
            text: """
                symbol,time,bid,bid_size,ask,ask_size,received
                AAPL,2024-03-01T14:30:00Z,1,1,1.1,1,2024-03-01T14:30:00.250Z
                AAPL,2024-03-01T14:30:00.100Z,2,1,2.1,1,2024-03-01T14:30:00.900Z
                MSFT,2024-03-01T14:30:00.100Z,3,1,3.1,1,2024-03-01T14:29:59Z
                """)
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        let first = try #require(try await nextBatch(&iterator).quotes.first)
        #expect(first.exchangeTime == clock.now() - .milliseconds(250) && first.receivedAt == clock.now())
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .milliseconds(100))
        let second = try await nextBatch(&iterator).quotes
        // AAPL's 800 ms delay would put it before the previous AAPL quote: kept 1 ns after it instead.
        #expect(second[0].exchangeTime == first.exchangeTime + .nanoseconds(1))
        // MSFT was "received" before its exchange time: the delay counts as 0.
        #expect(second[1].exchangeTime == clock.now())
    }

    @Test func aNewStreamContinuesWhereTheLastStopped() async throws {
        let clock = ManualClock()
        let (source, _) = try source(clock: clock)
        let firstStream = Task {
            var iterator = source.liveStream(for: []).makeAsyncIterator()
            return try await iterator.next()
        }
        let first = try #require(try await firstStream.value)
        #expect(F.quotes(first).map(\.bid) == [100, 200])
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        let resumed = try #require(try await iterator.next())
        #expect(F.quotes(resumed).map(\.bid) == [101] && resumed.first?.time == clock.now())
    }

    @Test func droppingTheStreamStopsThePlayer() async throws {
        let clock = ManualClock()
        let (source, _) = try source(clock: clock)
        do {
            var iterator = source.liveStream(for: []).makeAsyncIterator()
            _ = try await iterator.next()
            await clock.waitForSleeper(named: "replay gap")
        }
        await ManualClock.wait(until: { clock.sleeperCount == 0 }, what: "the dropped player to stop sleeping")
        #expect(clock.sleeperCount == 0)
    }

    @Test func latestQuotesFollowTheReplayPosition() async throws {
        let clock = ManualClock()
        let (source, _) = try source(clock: clock)
        // Before the replay starts: the files' last values.
        let before = try await source.latestQuotes(for: [F.aapl, F.msft, F.ibm, F.aapl])
        #expect(before.map(\.bid) == [102, 201])
        #expect(before.allSatisfy { $0.exchangeTime == clock.now() && $0.receivedAt == clock.now() && $0.source == F.id })
        var iterator = source.liveStream(for: []).makeAsyncIterator()
        _ = try await iterator.next()
        #expect(try await source.latestQuotes(for: []).map(\.bid) == [100, 200])
        await clock.waitForSleeper(named: "replay gap")
        clock.advance(by: .seconds(2))
        _ = try await iterator.next()
        #expect(try await source.latestQuotes(for: []).map(\.bid) == [101, 200])
    }

    @Test func barOnlyFilesQuoteTheLastClose() async throws {
        let clock = ManualClock()
        let source = try F.source(F.path("AAPL.yahoo.csv"), clock: clock)
        let quotes = try await source.latestQuotes(for: [F.aapl])
        #expect(
            quotes == [Quote(lastTrade: F.aapl, source: F.id, price: 169, exchangeTime: clock.now(), receivedAt: clock.now())])
    }
}
