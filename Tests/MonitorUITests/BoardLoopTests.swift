import Collector
import CollectorTestSupport
import MonitorUI
import Synchronization
import Testing

private let F = MarketFixtures.self

/// The board loop wakes on events (new data, keys, resize, tick, stop), never on a poll.
/// A recording screen stands in for curses; every test waits for what the loop drew.
@Suite("board loop", .timeLimit(.minutes(1)))
struct BoardLoopTests {
    static let aapl = F.symbol("AAPL")

    static func state(_ clock: ManualClock) -> MarketState {
        MarketState(
            watchlist: [aapl], sources: [.init(id: .simulated, kind: "simulated", priority: 100)], timeSource: clock)
    }

    static func view() -> ViewState {
        ViewState(watchlists: [Watchlist(name: "default", symbols: [aapl])])
    }

    @Test func aNewGenerationWakesTheLoopWithoutATick() async {
        let clock = ManualClock()  // never advanced: no tick can fire
        let state = Self.state(clock)
        let (terminal, _) = AsyncStream.makeStream(of: BoardWake.self)
        let (stops, stop) = AsyncStream.makeStream(of: BoardWake.self)
        let wakes = BoardWakes.merged(
            generations: await state.generations(), terminal: terminal, stops: stops,
            dataInterval: .zero, tickInterval: .seconds(1), clock: clock)
        let screen = RecordingScreen()
        var draws = screen.draws.makeAsyncIterator()
        let loop = Task {
            var view = Self.view()
            await BoardLoop().run(&view, on: screen, wakes: wakes, snapshot: { await state.snapshot() }, perform: { _, _ in })
        }
        let first = await draws.next()
        #expect(first?.contains("AAPL") == true)
        #expect(first?.contains("189.42") == false)

        await state.apply(accepted: [.quote(F.quote("AAPL", bid: 189.41, ask: 189.43, last: 189.42, at: clock.now()))])
        var shown = false
        while let text = await draws.next() {
            if text.contains("189.42") {
                shown = true
                break
            }
        }
        #expect(shown)
        #expect(clock.elapsed == .zero, "no time passed: the data woke the loop, not a tick")
        stop.yield(.stop)
        await loop.value
    }

    @Test func keysAreReadUntilNoneWaitsThenTheTerminalIsRearmedAndQQuits() async {
        let clock = ManualClock()
        let state = Self.state(clock)
        let (wakes, wake) = AsyncStream.makeStream(of: BoardWake.self)
        let screen = RecordingScreen()
        var draws = screen.draws.makeAsyncIterator()
        let loop = Task {
            var view = Self.view()
            await BoardLoop().run(&view, on: screen, wakes: wakes, snapshot: { await state.snapshot() }, perform: { _, _ in })
            return view
        }
        _ = await draws.next()
        screen.type([.character("?")])
        wake.yield(.input)
        let help = await draws.next()
        #expect(help?.contains("ticktop keys") == true)
        #expect(screen.keysReadCount == 1)
        #expect(screen.waitingKeys == 0)

        screen.type([.escape, .character("q"), .character("?")])
        wake.yield(.input)
        let view = await loop.value  // returns on q: nothing else wakes it
        #expect(view.mode == .board)
        #expect(screen.waitingKeys == 1, "keys after q are not read")
    }

    @Test func aTickRightAfterDataIsSkippedAndATickWithoutDataRedraws() async {
        let clock = ManualClock()
        let state = Self.state(clock)
        let (wakes, wake) = AsyncStream.makeStream(of: BoardWake.self)
        let screen = RecordingScreen()
        var draws = screen.draws.makeAsyncIterator()
        let snapshots = Mutex(0)
        let loop = Task {
            var view = Self.view()
            await BoardLoop().run(
                &view, on: screen, wakes: wakes,
                snapshot: {
                    snapshots.withLock { $0 += 1 }
                    return await state.snapshot()
                }, perform: { _, _ in })
        }
        _ = await draws.next()
        #expect(snapshots.withLock { $0 } == 1)
        wake.yield(.data)
        _ = await draws.next()
        #expect(snapshots.withLock { $0 } == 2)
        // The tick after data is skipped; the resize after it proves it was handled.
        wake.yield(.tick)
        wake.yield(.resize)
        _ = await draws.next()
        #expect(snapshots.withLock { $0 } == 2)
        #expect(screen.resizes == 1)
        wake.yield(.tick)
        _ = await draws.next()
        #expect(snapshots.withLock { $0 } == 3)
        wake.yield(.stop)
        await loop.value
    }

    @Test func theStoreBannerComesWithTheSnapshotAndFollowsItWhilePaused() async {
        let clock = ManualClock()
        var snapshot = await Self.state(clock).snapshot()
        var writes = StoreWriterStatistics()
        writes.failingSince = Timestamp(seconds: 1_772_460_120)  // 14:02 UTC
        writes.failureCause = "disk full"
        writes.rowsWaiting = 40
        snapshot.store = writes
        var view = Self.view()
        _ = view.reduce(.snapshot(snapshot))
        #expect(view.storeProblem == "disk full since 14:02 UTC, 40 rows waiting")
        _ = view.reduce(.key(.character("p")))
        snapshot.store = StoreWriterStatistics()
        _ = view.reduce(.snapshot(snapshot))
        #expect(view.storeProblem == nil, "the banner clears though the screen is paused")
    }

    @Test func aViewerOfASharedStoreSaysWhenTheStoreIsUnreachableOrEmpty() async {
        let clock = ManualClock()
        var snapshot = await Self.state(clock).snapshot()
        var follow = StoreFollowStatus(location: "postgres://desk:***@db/ticks")
        snapshot.follow = follow
        var view = Self.view()
        _ = view.reduce(.snapshot(snapshot))
        #expect(view.storeProblem == "connecting to postgres://desk:***@db/ticks")
        follow.caughtUpAt = Timestamp(seconds: 1_772_460_100)
        follow.storeHasQuotes = false
        snapshot.follow = follow
        _ = view.reduce(.snapshot(snapshot))
        #expect(view.storeProblem == "no data yet: no collector has stored a quote in postgres://desk:***@db/ticks")
        follow.unreachableSince = Timestamp(seconds: 1_772_460_127)  // 14:02:07 UTC
        follow.problem = "the server closed the connection"
        snapshot.follow = follow
        _ = view.reduce(.snapshot(snapshot))
        #expect(view.storeProblem == "unreachable since 14:02:07 UTC, retrying (the server closed the connection)")
        (follow.unreachableSince, follow.problem, follow.storeHasQuotes) = (nil, nil, true)
        snapshot.follow = follow
        _ = view.reduce(.snapshot(snapshot))
        #expect(view.storeProblem == nil, "following again")
    }

    @Test func pacedGenerationsCoalesceABurstIntoTheNewest() async {
        let clock = ManualClock()
        let state = Self.state(clock)
        var paced = PacedSequence(await state.generations(), interval: .milliseconds(250), clock: clock).makeAsyncIterator()
        #expect(await paced.next() == 0)
        for price in [100.0, 101, 102] {
            await state.apply(accepted: [.quote(F.quote("AAPL", last: price, at: clock.now()))])
        }
        clock.advance(by: .milliseconds(250))
        #expect(await paced.next() == 3, "one wake-up for the burst, with the newest generation")
    }

    /// Data that comes sooner than the interval waits it out; what came meanwhile is handed
    /// out by the next call, an interval later: one wake-up per interval however fast the data.
    @Test func earlyDataWaitsOutTheIntervalAndNewerDataTheNext() async {
        let clock = ManualClock()
        let state = Self.state(clock)
        let paced = PacedSequence(await state.generations(), interval: .milliseconds(250), clock: clock)
        let (handed, hand) = AsyncStream.makeStream(of: UInt64.self)
        let reader = Task {
            for await generation in paced { hand.yield(generation) }
            hand.finish()
        }
        var received = handed.makeAsyncIterator()
        #expect(await received.next() == 0, "the first passes at once")
        await state.apply(accepted: [.quote(F.quote("AAPL", last: 100, at: clock.now()))])
        await clock.waitForSleep(until: clock.now.advanced(by: .milliseconds(250)))
        for price in [101.0, 102] {
            await state.apply(accepted: [.quote(F.quote("AAPL", last: price, at: clock.now()))])
        }
        clock.advance(by: .milliseconds(250))
        #expect(await received.next() == 1, "the generation that started the wait, once the interval passed")
        await clock.waitForSleep(until: clock.now.advanced(by: .milliseconds(250)))
        clock.advance(by: .milliseconds(250))
        #expect(await received.next() == 3, "the newest, an interval later")
        reader.cancel()
        #expect(await received.next() == nil, "cancelled while waiting for data: the sequence ends")
    }

    /// Data that comes about an interval after the last (within a tenth of it) passes at once:
    /// a feed ticking at the board's pace never arms a timer.
    @Test func dataThatComesAboutAnIntervalLaterPassesAtOnce() async {
        let clock = ManualClock()
        let state = Self.state(clock)
        var paced = PacedSequence(await state.generations(), interval: .milliseconds(250), clock: clock).makeAsyncIterator()
        #expect(await paced.next() == 0)
        clock.advance(by: .milliseconds(230))
        await state.apply(accepted: [.quote(F.quote("AAPL", last: 100, at: clock.now()))])
        // The clock is never advanced again: a sleep here would never end (the suite's limit).
        #expect(await paced.next() == 1)
        #expect(clock.sleeperCount == 0)
        clock.advance(by: .milliseconds(240))
        await state.apply(accepted: [.quote(F.quote("AAPL", last: 101, at: clock.now()))])
        #expect(await paced.next() == 2)
        #expect(clock.elapsed == .milliseconds(470))
    }
}

/// Stands in for the terminal: records each drawn frame as text and hands out typed keys.
final class RecordingScreen: BoardScreen, Sendable {
    private struct Typed {
        var keys: [KeyPress] = []
        var keysRead = 0
        var resizes = 0
    }

    let draws: AsyncStream<String>
    private let drawn: AsyncStream<String>.Continuation
    private let typed = Mutex(Typed())

    init() {
        (draws, drawn) = AsyncStream.makeStream(of: String.self)
    }

    var size: (rows: Int, columns: Int) { (24, 100) }
    func draw(_ buffer: ScreenBuffer) { drawn.yield(buffer.text()) }
    func nextKey() -> KeyPress? { typed.withLock { $0.keys.isEmpty ? nil : $0.keys.removeFirst() } }
    func keysRead() { typed.withLock { $0.keysRead += 1 } }
    func resized() { typed.withLock { $0.resizes += 1 } }

    func type(_ keys: [KeyPress]) { typed.withLock { $0.keys += keys } }
    var waitingKeys: Int { typed.withLock { $0.keys.count } }
    var keysReadCount: Int { typed.withLock { $0.keysRead } }
    var resizes: Int { typed.withLock { $0.resizes } }
}
