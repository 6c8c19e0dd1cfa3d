import Collector
import CollectorTestSupport
import Synchronization
import Testing

/// The tape's writer: every trade and quote in batches, bars left out, a full queue and a failed
/// write counted, never silent.
@Suite("Tape recorder")
struct TapeRecorderTests {
    typealias S = StoreSamples

    static func trade(_ n: Int) -> MarketEvent {
        .trade(
            Trade(
                symbol: S.aapl, source: S.alpaca, price: 100 + Double(n), size: 1, exchangeTime: S.origin + .seconds(Int64(n)),
                receivedAt: S.origin + .seconds(Int64(n))))
    }

    @Test func everyTradeAndQuoteIsWrittenInBatchesAndBarsAreNot() async throws {
        let store = CountingTickStore()
        let tape = TapeRecorder(store: store, batchSize: 4, logger: .quiet())
        let quote = MarketEvent.quote(S.quote(bid: 99, receivedAt: 1))
        tape.record([quote, .bar(S.bar(0))] + (0..<9).map(Self.trade))
        tape.record(Self.trade(9))
        tape.finish()
        await tape.run()
        let written = store.batches
        #expect(written.map(\.count) == [4, 4, 3])
        #expect(written.flatMap { $0 }.map(\.event) == [quote] + (0..<10).map(Self.trade))
        #expect(tape.statistics == { var s = TapeStatistics(); s.ticksWritten = 11; return s }())
    }

    /// With a linger, ticks arriving while the writer waits join the same write: a slow feed
    /// makes one transaction per linger, not one per frame.
    @Test(.timeLimit(.minutes(1))) func ticksArrivingWithinTheLingerShareOneWrite() async throws {
        let store = CountingTickStore()
        let clock = ManualClock()
        let tape = TapeRecorder(store: store, batchSize: 100, linger: .milliseconds(250), clock: clock, logger: .quiet())
        let running = Task { await tape.run() }
        tape.record((0..<3).map(Self.trade))
        await clock.waitForSleeper(named: TapeRecorder.lingerPurpose)
        tape.record((3..<5).map(Self.trade))
        clock.advance(by: .milliseconds(250))
        tape.finish()
        await running.value
        #expect(store.batches.map(\.count) == [5])
    }

    /// `finish` ends the linger at once: what waits is written without the clock moving.
    @Test(.timeLimit(.minutes(1))) func finishCutsTheLingerShort() async throws {
        let store = CountingTickStore()
        let clock = ManualClock()
        let tape = TapeRecorder(store: store, batchSize: 100, linger: .seconds(60), clock: clock, logger: .quiet())
        let running = Task { await tape.run() }
        tape.record((0..<3).map(Self.trade))
        await clock.waitForSleeper(named: TapeRecorder.lingerPurpose)
        tape.finish()
        await running.value
        #expect(store.batches.map(\.count) == [3])
        #expect(clock.elapsed == .zero)
    }

    @Test func aFullQueueTurnsTicksAwayAndCountsThem() async throws {
        let store = CountingTickStore()
        let tape = TapeRecorder(store: store, batchSize: 100, capacity: 5, logger: .quiet())
        tape.record((0..<4).map(Self.trade))
        tape.record((4..<7).map(Self.trade))
        tape.record(Self.trade(7))
        #expect(tape.statistics.ticksWaiting == 5 && tape.statistics.ticksLost == 3)
        tape.finish()
        await tape.run()
        #expect(store.batches.flatMap { $0 }.map(\.event) == (0..<5).map(Self.trade))
        #expect(tape.statistics.ticksWritten == 5 && tape.statistics.ticksLost == 3 && tape.statistics.ticksWaiting == 0)
        tape.record(Self.trade(8))
        #expect(tape.statistics.ticksLost == 4, "a tick recorded after finish is lost, and counted")
    }

    @Test func aFailedWriteCountsItsTicksAsLostWithTheError() async throws {
        let store = CountingTickStore(failing: true)
        let tape = TapeRecorder(store: store, batchSize: 2, logger: .quiet())
        tape.record((0..<3).map(Self.trade))
        tape.finish()
        await tape.run()
        let statistics = tape.statistics
        #expect(statistics.ticksWritten == 0 && statistics.ticksLost == 3)
        #expect(statistics.lastError?.contains("disk full") == true)
    }

    @Test func lostTicksMeanNotEverythingWasStored() {
        var writes = StoreWriterStatistics()
        writes.tape = TapeStatistics()
        #expect(writes.everythingStored)
        writes.tape?.ticksLost = 1
        #expect(!writes.everythingStored)
    }
}

/// Records each write's ticks; or fails every write.
private final class CountingTickStore: TickStore {
    struct Failure: Error, CustomStringConvertible { var description: String { "disk full" } }
    private let written = Mutex<[[Tick]]>([])
    let failing: Bool

    init(failing: Bool = false) { self.failing = failing }

    var batches: [[Tick]] { written.withLock { $0 } }

    func writeTicks(_ ticks: [Tick]) async throws -> Int {
        if failing { throw Failure() }
        written.withLock { $0.append(ticks) }
        return ticks.count
    }

    func ticks(symbol: Symbol, source: SourceID?, in range: ClosedRange<Timestamp>, limit: Int) async throws -> [Tick] { [] }
}
