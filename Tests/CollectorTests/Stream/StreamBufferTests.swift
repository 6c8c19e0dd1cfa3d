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
