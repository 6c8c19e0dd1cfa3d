import Synchronization

/// Opens in-process connections to `source` (see `InProcessStreamProvider`).
package struct InProcessStreamTransport: StreamTransport {
    let source: any MarketDataSource

    package func connect(_ provider: any StreamProvider) async throws -> any StreamConnection {
        InProcessStreamConnection(source: source)
    }
}

/// One connection to an in-process source. Each subscribe or unsubscribe frame restarts the
/// source's `liveStream` for the symbols now subscribed (in the order they were subscribed; with
/// none it idles). `receive` hands over each batch as decoded messages and ends by throwing the
/// source's failure as a `StreamFailure` (`InProcessStreamProvider.failure`), or "the stream
/// ended" when the source's stream finished.
final class InProcessStreamConnection: StreamConnection {
    private enum Control: Sendable {
        /// The source's stream for a new subscription (nil: nothing subscribed), `number`ed.
        case stream(AsyncThrowingStream<[MarketEvent], any Error>?, number: Int)
        /// Stream `number` ended for `failure`.
        case ended(StreamFailure, number: Int)
    }

    private let source: any MarketDataSource
    private let subscription = Mutex<(symbols: [Symbol], number: Int)>(([], 0))
    private let controls: AsyncStream<Control>
    private let control: AsyncStream<Control>.Continuation

    init(source: any MarketDataSource) {
        self.source = source
        (controls, control) = AsyncStream.makeStream()
    }

    func send(_ frame: String) async throws {
        guard let change = InProcessFrame(frame) else {
            throw WebSocketError("not a subscription frame of an in-process stream: \(frame.prefix(80))")
        }
        // Under the lock, so the source's streams start in the order of the frames.
        subscription.withLock { subscription in
            switch change {
            case .subscribe(let added): subscription.symbols += added.filter { !subscription.symbols.contains($0) }
            case .unsubscribe(let removed): subscription.symbols.removeAll(where: removed.contains)
            }
            subscription.number += 1
            let stream = subscription.symbols.isEmpty ? nil : source.liveStream(for: subscription.symbols)
            control.yield(.stream(stream, number: subscription.number))
        }
    }

    func receive(_ receive: @escaping @Sendable (StreamInbound) -> Void) async throws {
        var current: Task<Void, Never>?
        var number = 0
        defer { current?.cancel() }
        for await next in controls {
            switch next {
            case .stream(let stream, let next):
                current?.cancel()
                await current?.value
                number = next
                current = stream.map { stream in
                    Task(executorPreference: CoreThread.preferred) { [control] in
                        await Self.read(stream, number: next, into: receive, control)
                    }
                }
            case .ended(let failure, let ended) where ended == number:
                throw failure
            case .ended:
                continue  // a stream replaced meanwhile
            }
        }
        current?.cancel()
        await current?.value
    }

    /// Hands one source stream's batches over until it ends, then says why (unless replaced).
    private static func read(
        _ stream: AsyncThrowingStream<[MarketEvent], any Error>, number: Int,
        into receive: @Sendable (StreamInbound) -> Void, _ control: AsyncStream<Control>.Continuation
    ) async {
        let failure: StreamFailure
        do {
            for try await batch in stream { receive(.values(batch)) }
            failure = StreamFailure("the stream ended", state: .down, action: .reconnect)
        } catch {
            failure = InProcessStreamProvider.failure(error)
        }
        if !Task.isCancelled { control.yield(.ended(failure, number: number)) }
    }

    func close() async { control.finish() }
}
