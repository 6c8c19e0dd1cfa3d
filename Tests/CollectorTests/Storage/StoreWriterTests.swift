import Collector
import CollectorTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@Suite("StoreWriter", .timeLimit(.minutes(1)))
struct StoreWriterTests {
    typealias S = StoreSamples

    /// One batch per minute, each holding one bar and one quote.
    private func batches(_ count: Int) -> [StoreBatch] {
        (0..<count).map { StoreBatch(quotes: [S.quote(bid: Double($0), receivedAt: Int64($0))], bars: [S.bar($0)]) }
    }

    @Test func everythingSubmittedIsWrittenAfterFinish() async throws {
        let store = RecordingStore()
        let log = LogRecorder()
        let writer = StoreWriter(
            store: store, batchSize: 2, flushInterval: .seconds(3600), clock: ContinuousClock(), logger: log.logger)
        for batch in batches(5) { writer.submit(batch) }
        writer.submit(StoreBatch())
        writer.finish()
        await writer.run()

        #expect(await store.writeSizes == [4, 4, 2])
        #expect(
            try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10) == (0..<5).map { S.bar($0) }
        )
        let statistics = writer.current
        #expect(statistics.batchesWritten == 3)
        #expect(statistics.rowsWritten == 10)
        #expect(statistics.barsInserted == 5)
        #expect(statistics.failures == 0 && statistics.rowsDropped == 0 && statistics.lastError == nil)
        #expect(log.messages.isEmpty)
    }

    @Test func barsRevisedByASourceAreCountedInItsHealth() async throws {
        let state = MarketState(
            watchlist: [S.aapl],
            sources: [.init(id: S.alpaca, kind: "alpaca", priority: 1), .init(id: S.yahoo, kind: "yahoo", priority: 2)],
            timeSource: FixedTimeSource(S.origin))
        let writer = StoreWriter(
            store: InMemoryStore(), state: state, batchSize: 1, flushInterval: .seconds(3600), clock: ContinuousClock(),
            logger: LogRecorder().logger)
        writer.submit(StoreBatch(bars: [S.bar(0), S.bar(1), S.bar(0, source: S.yahoo)]))
        writer.submit(StoreBatch(bars: [S.bar(0, close: 1), S.bar(1, close: 2), S.bar(0, source: S.yahoo)]))
        writer.submit(StoreBatch(bars: [S.bar(1, close: 3)]))
        writer.finish()
        await writer.run()

        let revised = await state.snapshot().sources.map { ($0.source, $0.barsRevised) }
        #expect(revised.map(\.0) == [S.alpaca, S.yahoo])
        #expect(revised.map(\.1) == [3, 0])
    }

    @Test func aPartialBatchIsFlushedWhenTheTimerFires() async throws {
        let store = RecordingStore()
        let clock = StepClock()
        let writer = StoreWriter(
            store: store, batchSize: 100, flushInterval: .seconds(1), clock: clock, logger: LogRecorder().logger)
        let running = Task { await writer.run() }

        await clock.waitForSleeper()
        writer.submit(batches(1)[0])
        #expect(await store.writeSizes.isEmpty)
        // The batch may reach the chunker only after a tick; tick until it is written.
        var ticks = 0
        while await store.writeSizes.isEmpty, ticks < 100 {
            clock.advance(by: .seconds(1))
            ticks += 1
            await clock.waitForSleeper()
        }
        #expect(await store.writeSizes == [2])

        writer.finish()
        await running.value
        #expect(writer.current.batchesWritten == 1)
    }

    /// A producer waiting for room (the backfill) is let go once enough of what was queued is
    /// written, and the writer writes for it at once: the timer never fires here.
    @Test func aProducerWaitingForRoomIsLetGoOnceTheQueuedRowsAreWritten() async throws {
        let store = RecordingStore()
        let clock = StepClock()
        let writer = StoreWriter(
            store: store, batchSize: 100, flushInterval: .seconds(1), clock: clock, logger: LogRecorder().logger)
        for batch in batches(3) { writer.submit(batch) }
        let running = Task { await writer.run() }

        try await withSafetyLimit { await writer.waitForRoom(belowRows: 4) }
        let written = await store.writeSizes.reduce(0, +)
        #expect(written >= 4, "at most 3 of the 6 rows may still be waiting; \(written) were written")
        await writer.waitForRoom(belowRows: 7)  // room already: at once

        writer.finish()
        await running.value
        #expect(await store.writeSizes.reduce(0, +) == 6)
        #expect(writer.current.rowsWritten == 6)
    }

    @Test func aFailedWriteIsLoggedAndItsRowsAreWrittenWithTheNextOnesOnTheLastAttempt() async throws {
        let store = RecordingStore(failures: 1)
        let log = LogRecorder()
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(3600), clock: ContinuousClock(), logger: log.logger)
        for batch in batches(2) { writer.submit(batch) }
        writer.finish()
        await writer.run()

        #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 2)
        let statistics = writer.current
        // The second batch waited behind the failed one; both went in one write.
        #expect(statistics.failures == 1 && statistics.batchesWritten == 1 && statistics.rowsDropped == 0)
        #expect(statistics.rowsWaiting == 0 && !statistics.isFailing)
        #expect(statistics.lastError == RecordingStore.failure.description)
        #expect(log.messages.count == 1)
        #expect(log.messages.first?.contains(RecordingStore.failure.description) == true)
    }

    @Test func rowsOfAWriteThatFailsTwiceAreKeptAndWrittenWhenWritesWorkAgain() async throws {
        let store = RecordingStore(failures: 2)
        let clock = ManualClock()
        let writer = StoreWriter(
            store: store, batchSize: 1, flushInterval: .seconds(1), clock: clock, timeSource: clock,
            logger: LogRecorder().logger)
        let running = Task { await writer.run() }
        for batch in batches(3) { writer.submit(batch) }
        // The first write fails; the rest wait behind it.
        await ManualClock.wait { (writer.current.rowsWaiting == 6) || Task.isCancelled }
        #expect(writer.current.failingSince == clock.epoch)
        // Retries wait for the backoff on the clock (1 s, then 2 s); a batch arriving
        // (or the flush timer) makes the due one. The first fails too, the second writes all.
        clock.advance(by: .seconds(1))
        writer.submit(batches(4)[3])
        await ManualClock.wait { (writer.current.failures == 2 && writer.current.rowsWaiting == 8) || Task.isCancelled }
        #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 0)
        clock.advance(by: .seconds(2))
        writer.submit(batches(5)[4])
        await ManualClock.wait { (writer.current.rowsWaiting == 0) || Task.isCancelled }
        writer.finish()
        await running.value

        let bars = try await store.recentBars(symbol: S.aapl, timeframe: .oneMinute, source: nil, limit: 10)
        #expect(bars == (0..<5).map { S.bar($0) })
        let statistics = writer.current
        #expect(statistics.failures == 2 && statistics.rowsDropped == 0 && statistics.batchesWritten == 1)
        #expect(!statistics.isFailing && statistics.failureCause == nil)
    }

    @Test func gracefulShutdownDoesNotStopTheWriterBeforeFinish() async throws {
        let store = RecordingStore()
        let writer = StoreWriter(
            store: store, batchSize: 10, flushInterval: .seconds(3600), clock: ContinuousClock(),
            logger: LogRecorder().logger)
        let group = ServiceGroup(services: [writer], logger: LogRecorder().logger)
        let running = Task { try await group.run() }
        await group.triggerGracefulShutdown()
        for batch in batches(3) { writer.submit(batch) }
        writer.finish()
        try await running.value

        #expect(try await store.barCount(symbol: S.aapl, timeframe: .oneMinute) == 3)
        writer.submit(batches(1)[0])
        #expect(writer.current.rowsDropped == 2)
    }
}

/// An in-memory store that records each write's size and can fail the first writes.
actor RecordingStore: MarketStore {
    static let failure = StoreError(
        operation: .write, location: "/test/store.sqlite", kind: .database(resultCode: 10), detail: "disk I/O error")

    private let store: any MarketStore = InMemoryStore()
    private var failuresLeft: Int
    private(set) var writeSizes: [Int] = []

    init(failures: Int = 0) { failuresLeft = failures }

    func barRevisions(symbol: Symbol, timeframe: Timeframe, in range: ClosedRange<Timestamp>) async throws -> [BarRevision] {
        try await store.barRevisions(symbol: symbol, timeframe: timeframe, in: range)
    }

    func write(_ batch: StoreBatch) async throws -> StoreWriteResult {
        if failuresLeft > 0 {
            failuresLeft -= 1
            throw Self.failure
        }
        writeSizes.append(batch.count)
        return try await store.write(batch)
    }

    func bars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, in range: ClosedRange<Timestamp>) async throws
        -> [Bar]
    {
        try await store.bars(symbol: symbol, timeframe: timeframe, source: source, in: range)
    }

    func recentBars(symbol: Symbol, timeframe: Timeframe, source: SourceID?, limit: Int) async throws -> [Bar] {
        try await store.recentBars(symbol: symbol, timeframe: timeframe, source: source, limit: limit)
    }

    func latestBarStart(symbol: Symbol, timeframe: Timeframe, source: SourceID) async throws -> Timestamp? {
        try await store.latestBarStart(symbol: symbol, timeframe: timeframe, source: source)
    }

    func barCount(symbol: Symbol, timeframe: Timeframe) async throws -> Int {
        try await store.barCount(symbol: symbol, timeframe: timeframe)
    }

    func latestQuotes() async throws -> [Quote] { try await store.latestQuotes() }

    func recentAnomalies(limit: Int) async throws -> [Anomaly] { try await store.recentAnomalies(limit: limit) }
    func recentAlerts(limit: Int) async throws -> [Alert] { try await store.recentAlerts(limit: limit) }
    func recentTransitions(limit: Int) async throws -> [HealthTransition] { try await store.recentTransitions(limit: limit) }
}

/// Collects the messages logged at `minimum` level (error by default) or above.
final class LogRecorder: Sendable {
    private let recorded = Mutex<[String]>([])
    let minimum: Logger.Level

    init(minimum: Logger.Level = .error) { self.minimum = minimum }

    var messages: [String] { recorded.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(recorder: self) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.level >= recorder.minimum else { return }
            recorder.recorded.withLock { $0.append(event.message.description) }
        }
    }
}

/// A clock that moves only when told to, and tells when something sleeps on it.
private final class StepClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct Sleeper {
        var id: Int
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Instant(offset: .zero)
        var nextID = 0
        var sleepers: [Sleeper] = []
        var sleeperWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var now: Instant { state.withLock { $0.now } }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<[CheckedContinuation<Void, Never>], any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.now { return nil }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    defer { state.sleeperWaiters = [] }
                    return .success(state.sleeperWaiters)
                }
                switch outcome {
                case nil: continuation.resume()
                case .failure(let error): continuation.resume(throwing: error)
                case .success(let waiters): waiters.forEach { $0.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) }
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose deadline has come.
    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        due.forEach { $0.continuation.resume() }
    }

    /// Returns once at least one task is sleeping on the clock.
    func waitForSleeper() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let sleeping = state.withLock { state in
                if state.sleepers.isEmpty { state.sleeperWaiters.append(continuation) }
                return !state.sleepers.isEmpty
            }
            if sleeping { continuation.resume() }
        }
    }
}
