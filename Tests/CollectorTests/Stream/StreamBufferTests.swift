import Collector
import CollectorTestSupport
import Synchronization
import Testing

private let F = MarketFixtures.self

@Suite("Stream buffer")
struct StreamBufferTests {
    @Test func aBurstCoalescesQuotesAndKeepsEveryBarAndTrade() {
        let buffer = StreamBuffer(capacity: 100)
        var bars = 0
        for step in 0..<1_000 {
            let time = F.baseTime + .milliseconds(Int64(step))
            buffer.push(
                .quote(F.quote(step.isMultiple(of: 2) ? "AAPL" : "MSFT", bid: Double(step), ask: Double(step) + 1, at: time)))
            if step.isMultiple(of: 100) {
                buffer.push(.bar(F.bar(start: F.baseTime + .seconds(Int64(step)))))
                buffer.push(.trade(F.trade(price: Double(step), at: time)))
                bars += 1
            }
        }
        buffer.countDropped()
        let drained = buffer.drain()
        let quotes = drained.events.compactMap { if case .quote(let q) = $0 { q } else { nil } }
        #expect(quotes.map(\.symbol.rawValue) == ["AAPL", "MSFT"])
        #expect(quotes.map(\.bid) == [998, 999], "the latest quote per symbol wins")
        #expect(drained.events.filter { $0.kind == .bar }.count == bars)
        #expect(drained.events.filter { $0.kind == .trade }.count == bars)
        #expect(drained.coalesced == 998)
        #expect(drained.dropped == 1)
        let again = buffer.drain()
        #expect(again.events.isEmpty && again.coalesced == 0 && again.dropped == 0, "counts are per drain")
    }

    @Test func saysWhenTradesAndBarsReachTheCapacity() {
        let buffer = StreamBuffer(capacity: 3)
        #expect(buffer.push(.bar(F.bar())))
        #expect(buffer.push(.trade(F.trade())))
        #expect(buffer.push(.quote(F.quote())), "quotes do not count: they coalesce")
        #expect(!buffer.push(.bar(F.bar(start: F.baseTime + .seconds(60)))))
        #expect(buffer.drain().events.count == 4, "nothing is dropped")
        #expect(buffer.push(.bar(F.bar())))
    }

    /// A frame's values go in with one push: in order, quotes coalescing as one by one, and the
    /// capacity said once for them all (the reader waits after the frame, before the next).
    @Test func aFramesValuesGoInTogether() {
        let buffer = StreamBuffer(capacity: 2)
        let frame: [MarketEvent] = [
            .quote(F.quote("AAPL", bid: 1, ask: 2)), .bar(F.bar()), .quote(F.quote("MSFT", bid: 3, ask: 4)),
            .quote(F.quote("AAPL", bid: 5, ask: 6)), .trade(F.trade()), .bar(F.bar(start: F.baseTime + .seconds(60)))
        ]
        #expect(!buffer.push(contentsOf: frame), "three trades and bars reach a capacity of two")
        #expect(buffer.push(contentsOf: []), "nothing pushed: room as before")
        let drained = buffer.drain()
        #expect(drained.events.map(\.kind) == [.quote, .bar, .quote, .trade, .bar], "nothing dropped, arrival order kept")
        #expect(drained.events.first == .quote(F.quote("AAPL", bid: 5, ask: 6)), "the latest AAPL quote, in the first one's place")
        #expect(drained.coalesced == 1)
        #expect(buffer.push(contentsOf: [.bar(F.bar())]), "room again after the drain")
    }

    @Test func aFullBufferHoldsTheReaderUntilTheNextDrain() async throws {
        let buffer = StreamBuffer(capacity: 2)
        buffer.push(.bar(F.bar()))
        #expect(!buffer.push(.trade(F.trade())))
        let passed = Passed()
        let reader = Task {
            await buffer.waitForRoom()
            passed.set()
        }
        try await withSafetyLimit { await ManualClock.wait { buffer.readersWaiting == 1 } }  // the reader is held
        #expect(!passed.value, "no room until the buffer is drained")
        #expect(buffer.drain().events.count == 2)
        await reader.value
        #expect(passed.value)
    }

    @Test func finishingLetsAWaitingReaderGo() async {
        let buffer = StreamBuffer(capacity: 1)
        #expect(!buffer.push(.bar(F.bar())))
        let reader = Task { await buffer.waitForRoom() }
        buffer.finish()
        await reader.value
    }
}

private final class Passed: Sendable {
    private let flag = Atomic(false)
    var value: Bool { flag.load(ordering: .acquiring) }
    func set() { flag.store(true, ordering: .releasing) }
}
