import ServiceLifecycle

/// An `AsyncStream` whose loop ends when graceful shutdown begins: the element being handled
/// then runs to its end, and the elements still buffered are dropped.
///
/// Not ServiceLifecycle's `cancelOnGracefulShutdown()`: that goes through swift-async-algorithms'
/// `merge`, which holds its lock while it suspends. A task with an executor preference (the
/// collector's, `CoreThread`) reaches for its own status lock in that moment, and a `cancel()` from
/// another thread holds that lock while it waits for the merge's: both wait for ever, and the run
/// cannot be stopped (apple/swift-async-algorithms#430). This holds no lock across a suspension.
package struct GracefulStream<Element: Sendable>: Sendable {
    let stream: AsyncStream<Element>
    let continuation: AsyncStream<Element>.Continuation

    package init(_ stream: AsyncStream<Element>, _ continuation: AsyncStream<Element>.Continuation) {
        self.stream = stream
        self.continuation = continuation
    }

    /// Calls `body` with each element until the stream ends, the task is cancelled or graceful
    /// shutdown begins.
    package func forEach(_ body: (Element) async -> Void) async {
        let continuation = continuation
        await withGracefulShutdownHandler {
            for await element in stream {
                if Task.isShuttingDownGracefully { break }
                await body(element)
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }

    /// Returns on cancellation or graceful shutdown, never before.
    package static func waitForShutdown() async {
        let (never, keep) = AsyncStream<Void>.makeStream()
        await GracefulStream<Void>(never, keep).forEach { _ in }
        keep.finish()
    }
}
