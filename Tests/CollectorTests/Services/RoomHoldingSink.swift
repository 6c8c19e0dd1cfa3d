import Collector
import Synchronization

/// A store sink that keeps every batch and holds each `waitForRoom` caller until `openRoom()`,
/// telling `asks` the row limit each caller waits for.
final class RoomHoldingSink: StoreSink, Sendable {
    private struct State {
        var batches: [StoreBatch] = []
        var open = false
        var held: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())
    /// The `belowRows` limit of each `waitForRoom` call, in order.
    let asks: AsyncStream<Int>
    private let asked: AsyncStream<Int>.Continuation

    init() { (asks, asked) = AsyncStream.makeStream() }

    func submit(_ batch: StoreBatch) { state.withLock { $0.batches.append(batch) } }
    func finish() {}

    func waitForRoom(belowRows limit: Int) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state in
                if !state.open { state.held.append(waiter) }
                return state.open
            }
            asked.yield(limit)
            if open { waiter.resume() }
        }
    }

    /// Lets every held caller, and every later one, go.
    func openRoom() {
        let held = state.withLock { state in
            state.open = true
            defer { state.held = [] }
            return state.held
        }
        for waiter in held { waiter.resume() }
    }

    /// The first `waitForRoom` limit (nil if the stream ended first).
    func firstAsk() async -> Int? {
        for await limit in asks { return limit }
        return nil
    }

    var batches: [StoreBatch] { state.withLock { $0.batches } }
}
