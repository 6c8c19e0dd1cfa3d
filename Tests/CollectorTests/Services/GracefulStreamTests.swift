@testable import Collector
import CollectorTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing

private let F = MarketFixtures.self

/// A loop over the watched symbols ends on graceful shutdown after the element under way, and on
/// cancellation, also on a thread of its own (`CoreThread`), where ServiceLifecycle's
/// `cancelOnGracefulShutdown()` could deadlock with a `cancel()` (apple/swift-async-algorithms#430).
@Suite("Graceful stream", .timeLimit(.minutes(1)))
struct GracefulStreamTests {
    /// Runs `body` as a service until graceful shutdown.
    struct Looping: Service {
        let body: @Sendable () async -> Void
        func run() async { await body() }
    }

    @Test func gracefulShutdownEndsTheLoopAfterTheElementUnderWay() async throws {
        let (aapl, msft) = (F.symbol("AAPL"), F.symbol("MSFT"))
        let watched = WatchedSymbols([aapl])
        let seen = Mutex<[[Symbol]]>([])
        let loop = Looping {
            await watched.follower().forEach { symbols in
                seen.withLock { $0.append(symbols) }
                guard symbols == [aapl] else { return }
                watched.set([msft])  // buffered while this element is under way
                await ManualClock.wait(until: { Task.isShuttingDownGracefully }, what: "graceful shutdown")
            }
        }
        let group = ServiceGroup(services: [loop], logger: .quiet())
        let running = Task { try await group.run() }
        await ManualClock.wait(until: { seen.withLock { $0.count } == 1 }, what: "the first element")
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(seen.withLock { $0 } == [[aapl]], "the change buffered when shutdown began is dropped")
    }

    /// Cancelled while the watched set changes, on the core thread, the loop ends every time.
    @Test func aLoopOnTheCoreThreadEndsWhenCancelledWhileTheSetChanges() async {
        let core = CoreThread(name: "graceful-test")
        let symbols = (0..<8).map { F.symbol("S\($0)") }
        for round in 0..<2_000 {
            let watched = WatchedSymbols([symbols[round % 8]])
            let started = Mutex(false)
            let loop = Task(executorPreference: core) {
                await watched.follower().forEach { _ in started.withLock { $0 = true } }
            }
            await ManualClock.wait(until: { started.withLock { $0 } }, what: "the loop to start")
            let changing = Task { for index in 0..<4 { watched.set([symbols[(round + index + 1) % 8]]) } }
            loop.cancel()
            await loop.value
            await changing.value
        }
    }
}
