import Testing

@testable import Collector

/// The one-time event the poll and history requests wait on: every wait ends at its release,
/// one begun after it does not wait, and a cancelled wait ends without it.
@Suite("Latch", .timeLimit(.minutes(1)))
struct LatchTests {
    @Test func releaseEndsEveryWaitAndLaterOnesDoNotWait() async {
        let latch = Latch()
        let waits = (0..<4).map { _ in Task { await latch.wait() } }
        latch.release()
        for wait in waits { await wait.value }
        #expect(latch.isReleased)
        await latch.wait()
    }

    @Test func aCancelledWaitEndsWithoutARelease() async {
        let latch = Latch()
        let wait = Task { await latch.wait() }
        wait.cancel()
        await wait.value
        #expect(!latch.isReleased)
    }
}
