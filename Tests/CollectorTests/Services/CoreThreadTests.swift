@testable import Collector
import CollectorTestSupport
import Foundation
import Synchronization
import Testing

/// `CoreThread` runs the tasks that prefer it, and the actors they call, on its one thread,
/// and its clock's sleeps end on that thread's timers: never before their deadline, in
/// deadline order, at once when cancelled.
@Suite("Core thread", .timeLimit(.minutes(1)))
struct CoreThreadTests {
    /// Records the thread each call ran on.
    actor Counter {
        var threads: Set<String> = []
        var order: [Int] = []
        func note(_ value: Int? = nil) {
            threads.insert(Thread.current.name ?? "unnamed")
            if let value { order.append(value) }
        }
    }

    /// The name of the thread this runs on (`Thread.current` is not for asynchronous code).
    static func threadName() -> String? { Thread.current.name }

    @Test func tasksThatPreferItAndTheActorsTheyCallRunOnItsThread() async {
        let core = CoreThread(name: "core-test")
        let counter = Counter()
        await Task(executorPreference: core) {
            await counter.note()
            #expect(Self.threadName() == "core-test")
            // A child task inherits the preference; an unstructured one does through the task local.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await counter.note() }
            }
            await CoreThread.$preferred.withValue(core) {
                await Task(executorPreference: CoreThread.preferred) { await counter.note() }.value
            }
        }.value
        #expect(await counter.threads == ["core-test"])
        await Task { await counter.note() }.value
        #expect(await counter.threads.count == 2, "a task without the preference runs on the shared pool")
    }

    @Test func sleepsEndAtTheirDeadlineInDeadlineOrder() async throws {
        let core = CoreThread()
        let clock = CoreThreadClock(core)
        let counter = Counter()
        let start = clock.now
        let late = [30, 10, 20, 0, 10]  // milliseconds after the start
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, delay) in late.enumerated() {
                // On the core thread, the sleepers go on in the order their timers ended (on the
                // shared pool, sleeps that ended together would race to the counter).
                group.addTask(executorPreference: core) {
                    let deadline = start.advanced(by: .milliseconds(delay))
                    try await clock.sleep(until: deadline)
                    #expect(clock.now >= deadline, "sleep \(index) ended before its deadline")
                    await counter.note(delay)
                }
            }
            try await group.waitForAll()
        }
        #expect(await counter.order == late.sorted())
    }

    @Test func aCancelledSleepEndsAtOnceWithCancellationError() async {
        let core = CoreThread()
        let clock = CoreThreadClock(core)
        let sleeper = Task { try await clock.sleep(until: clock.now.advanced(by: .seconds(3600))) }
        await ManualClock.wait(until: { core.sleeping == 1 }, what: "the sleep to start")
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(core.sleeping == 0, "its timer is gone")
    }

    @Test func aSleepOfACancelledTaskEndsAtOnce() async {
        let core = CoreThread()
        let clock = CoreThreadClock(core)
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: clock.now.advanced(by: .seconds(3600)))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(core.sleeping == 0)
    }
}
