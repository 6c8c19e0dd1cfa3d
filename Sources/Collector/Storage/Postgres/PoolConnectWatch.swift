import Logging
import Synchronization

/// Sees the connection pool fail to connect, so that an operation waiting for a pooled connection
/// fails at once when the server refuses connections, instead of at its deadline: postgres-nio's
/// pool keeps retrying a refused connect with backoff and keeps its waiters waiting, telling only
/// its background logger ("Connection creation failed" at `info`, "Connection established" at
/// `debug`). `handler(_:)` wraps that logger's handler; `PostgresStore.pooled` waits on
/// `failure(after:)` beside the pool's lease.
final class PoolConnectWatch: Sendable {
    /// The pool's messages for a failed and a made connect (`PostgresClientMetrics`).
    static let connectFailedMessage = "Connection creation failed"
    static let connectedMessage = "Connection established"

    private struct State {
        /// Failed connects seen so far.
        var failures = 0
        /// Whether the pool's last connect failed (none made since: a connection it had before
        /// may still be handed out, dead, before it sees it closed).
        var failing = false
        var waiters: [Int: CheckedContinuation<Int?, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The pool failed to connect: every waiter is told.
    func noteConnectFailed() {
        let (waiters, failures) = state.withLock { state in
            state.failures += 1
            state.failing = true
            defer { state.waiters = [:] }
            return (Array(state.waiters.values), state.failures)
        }
        for waiter in waiters { waiter.resume(returning: failures) }
    }

    /// The pool connected.
    func noteConnected() { state.withLock { $0.failing = false } }

    /// The count of failed connects to wait beyond: one less than now when the pool is failing
    /// (its next attempt may be a backoff away: the caller probes at once).
    func baseline() -> Int { state.withLock { $0.failing ? $0.failures - 1 : $0.failures } }

    /// Returns the count of failed connects once it exceeds `seen`; nil when the task is cancelled.
    func failure(after seen: Int) async -> Int? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
                let now: Int?? = state.withLock { state in
                    if Task.isCancelled { return .some(nil) }
                    if state.failures > seen { return .some(state.failures) }
                    state.waiters[id] = continuation
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// A handler logging like `inner` that also lets the pool's connects through to this watch
    /// (at `debug` even when `inner` logs only warnings).
    func handler(_ inner: any LogHandler) -> any LogHandler { Handler(inner: inner, watch: self) }

    private struct Handler: LogHandler {
        var inner: any LogHandler
        let watch: PoolConnectWatch

        var logLevel: Logger.Level {
            get { min(inner.logLevel, .debug) }
            set { inner.logLevel = newValue }
        }

        var metadata: Logger.Metadata {
            get { inner.metadata }
            set { inner.metadata = newValue }
        }

        var metadataProvider: Logger.MetadataProvider? {
            get { inner.metadataProvider }
            set { inner.metadataProvider = newValue }
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { inner[metadataKey: key] }
            set { inner[metadataKey: key] = newValue }
        }

        func log(event: LogEvent) {
            switch event.message.description {
            case PoolConnectWatch.connectFailedMessage: watch.noteConnectFailed()
            case PoolConnectWatch.connectedMessage: watch.noteConnected()
            default: break
            }
            if event.level >= inner.logLevel { inner.log(event: event) }
        }
    }
}
