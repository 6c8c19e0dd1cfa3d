@testable import Collector
import Testing

@Suite("QueueGate")
struct QueueGateTests {
    /// The backfill's large history batches wait below a limit smaller than the capacity.
    @Test func aWaiterWithALimitWaitsBelowItEvenWithRoomLeft() async {
        let gate = QueueGate(capacity: 256)
        gate.added()
        gate.added()
        await gate.waitForRoom()  // 2 of 256: room left, no wait

        let waiter = Task { await gate.waitForRoom(below: 2) }
        while gate.waiting == 0 { await Task.yield() }
        gate.taken()  // 1 queued: below 2
        await waiter.value
        #expect(gate.waiting == 0)
        #expect(gate.queued == 1)
    }

    @Test func takenLetsGoOnlyTheWaitersBelowTheirLimit() async {
        let gate = QueueGate(capacity: 4)
        for _ in 0..<4 { gate.added() }
        let limited = Task { await gate.waitForRoom(below: 2) }
        while gate.waiting < 1 { await Task.yield() }
        let unlimited = Task { await gate.waitForRoom() }
        while gate.waiting < 2 { await Task.yield() }

        gate.taken()  // 3 queued: the unlimited waiter goes, the limited one (below 2) stays
        await unlimited.value
        #expect(gate.waiting == 1)

        gate.taken(2)  // 1 queued
        await limited.value
        #expect(gate.waiting == 0)
    }
}
