import Logging
import Synchronization

/// Sees the connection pool try to connect, fail, and hand out connections it made, so that an
/// operation waiting for a pooled connection does not wait for the pool's backoff: postgres-nio's
/// pool keeps retrying a refused connect, each try later than the last (100 ms x 1.25^n, up to a
/// minute), and keeps its waiters waiting, telling only its background logger ("Creating new
/// connection" at `debug`, "Connection creation failed" at `info`, both with the connection's id;
/// a connect that succeeds is not logged). `handler(_:)` wraps that logger's handler;
/// `PostgresStore.pooled` waits on `failure(after:)` beside the pool's lease and reports each lease
/// (`noteLeased(_:)`): the lease of a connection the pool made since it began failing ends the failing.
final class PoolConnectWatch: Sendable {
    /// The pool's messages for a connect begun and failed (`PostgresClientMetrics`), and the
    /// metadata key naming the connection.
    static let connectingMessage = "Creating new connection"
    static let connectFailedMessage = "Connection creation failed"
    static let closedMessage = "Connection closed"
    static let connectionIDKey = "psql_connection_id"

    private struct State {
        /// Connects the pool began, and failed, so far.
        var attempts = 0
        var failures = 0
        /// Whether the pool's last connect failed and it has not handed out a connection made since
        /// (a connection it had before may still be handed out, dead, before it sees it closed).
        var failing = false
        /// The pool's connections whose connect began and did not fail, not yet handed out.
        var connecting: Set<Int> = []
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0

        subscript(counter: Counter) -> Int {
            switch counter {
            case .attempts: attempts
            case .failures: failures
            }
        }
    }

    private enum Counter { case attempts, failures }

    /// A task waiting for a count to exceed what it saw.
    private struct Waiter {
        let count: Counter
        let seen: Int
        let continuation: CheckedContinuation<Int?, Never>
    }

    private let state = Mutex(State())

    init() {}

    /// The pool began connecting `id` (again, after a failure: the same id).
    func noteConnecting(_ id: Int?) {
        let ready = state.withLock { state in
            state.attempts += 1
            if let id { state.connecting.insert(id) }
            return Self.ready(&state)
        }
        for (waiter, count) in ready { waiter.continuation.resume(returning: count) }
    }

    /// The pool failed to connect: every waiter is told.
    func noteConnectFailed(_ id: Int?) {
        let ready = state.withLock { state in
            state.failures += 1
            state.failing = true
            if let id { state.connecting.remove(id) }
            return Self.ready(&state)
        }
        for (waiter, count) in ready { waiter.continuation.resume(returning: count) }
    }

    /// Removes and returns the waiters whose count now exceeds what they saw, with the count.
    private static func ready(_ state: inout State) -> [(Waiter, Int)] {
        var ready: [(Waiter, Int)] = []
        for (id, waiter) in state.waiters where state[waiter.count] > waiter.seen {
            state.waiters[id] = nil
            ready.append((waiter, state[waiter.count]))
        }
        return ready
    }

    /// The pool closed `id`.
    func noteClosed(_ id: Int?) {
        guard let id else { return }
        state.withLock { _ = $0.connecting.remove(id) }
    }

    /// The pool handed out connection `id`: when it is one made since the pool began failing, the
    /// pool connects again.
    func noteLeased(_ id: Int) {
        state.withLock { state in
            if state.connecting.remove(id) != nil { state.failing = false }
        }
    }

    /// Whether the pool's last connect failed (it has not handed out a connection made since).
    var isFailing: Bool { state.withLock { $0.failing } }

    /// How many connects the pool began so far.
    var attempts: Int { state.withLock { $0.attempts } }

    /// How many of them failed.
    var failures: Int { state.withLock { $0.failures } }

    /// The count of failed connects to wait beyond: one less than now when the pool is failing
    /// (its next attempt may be a backoff away: the caller probes at once).
    func baseline() -> Int { state.withLock { $0.failing ? $0.failures - 1 : $0.failures } }

    /// Returns the count of failed connects once it exceeds `seen`; nil when the task is cancelled.
    func failure(after seen: Int) async -> Int? { await count(.failures, after: seen) }

    /// Returns the count of connects the pool began once it exceeds `seen`; nil when the task is cancelled.
    func attempt(after seen: Int) async -> Int? { await count(.attempts, after: seen) }

    private func count(_ count: Counter, after seen: Int) async -> Int? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
                let now: Int?? = state.withLock { state in
                    if Task.isCancelled { return .some(nil) }
                    if state[count] > seen { return .some(state[count]) }
                    state.waiters[id] = Waiter(count: count, seen: seen, continuation: continuation)
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(returning: nil)
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
            let id = { event.metadata?[PoolConnectWatch.connectionIDKey].flatMap { Int($0.description) } }
            switch event.message.description {
            case PoolConnectWatch.connectingMessage: watch.noteConnecting(id())
            case PoolConnectWatch.connectFailedMessage: watch.noteConnectFailed(id())
            case PoolConnectWatch.closedMessage: watch.noteClosed(id())
            default: break
            }
            if event.level >= inner.logLevel { inner.log(event: event) }
        }
    }
}
