import PostgresNIO
import Synchronization

/// Ends an operation as soon as its connection closes: on a connection that has closed,
/// postgres-nio never answers a statement (the channel's handlers are gone, the statement's
/// promise is dropped: vapor/postgres-nio#487, reverted by #501). A server that ends its sessions
/// (PostgreSQL stopping) in the middle of a transaction fails the statement in flight, and then
/// `withTransaction`'s `ROLLBACK`, or the operation's next statement, waited for the store's
/// deadline (30 s) at the start of every such outage. `run(on:_:)` runs the operation in a task of
/// its own and fails it with `Closed` when the connection closes first; the operation, waiting for
/// an answer that cannot come, is left behind (nothing more can reach the server on that connection).
///
/// Each connection's close is watched once (`closeFuture`), not once per operation: a pooled
/// connection lives for hours and its close future keeps every callback given to it.
final class ConnectionCloseWatch: Sendable {
    /// The connection closed while the operation ran (the server ended the session, or the network went).
    struct Closed: Error {}

    private struct State {
        /// Each open connection watched (held, so that no other takes its identifier before its
        /// close is seen) and the operations waiting on its close, by their token.
        var watched: [ObjectIdentifier: (connection: PostgresConnection, waiting: [Int: @Sendable () -> Void])] = [:]
        var nextToken = 0
    }

    private let state = Mutex(State())

    init() {}

    /// `body` on `connection`; `Closed` as soon as the connection closes before `body` ends. A
    /// cancelled caller's `body` is cancelled, and still awaited (until it ends or the connection closes).
    func run<T: Sendable>(
        on connection: PostgresConnection, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let outcome = DeadlineRace.Outcome<T>()
        let token = watch(connection) { outcome.settle(.failure(Closed())) }
        defer { unwatch(connection, token) }
        let work = outcome.settle { try await body(connection) }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            work.cancel()
        }
    }

    /// Calls `onClose` once `connection` closes (soon after, when it has closed already); the token
    /// stops it (`unwatch`).
    private func watch(_ connection: PostgresConnection, onClose: @escaping @Sendable () -> Void) -> Int {
        let key = ObjectIdentifier(connection)
        let (token, first) = state.withLock { state in
            defer { state.nextToken += 1 }
            let first = state.watched[key] == nil
            state.watched[key, default: (connection, [:])].waiting[state.nextToken] = onClose
            return (state.nextToken, first)
        }
        if first {
            connection.closeFuture.whenComplete { [self] _ in
                let waiting = state.withLock { $0.watched.removeValue(forKey: key)?.waiting } ?? [:]
                for onClose in waiting.values { onClose() }
            }
        }
        return token
    }

    private func unwatch(_ connection: PostgresConnection, _ token: Int) {
        // The entry stays while the connection is open (its close callback is registered once).
        state.withLock { _ = $0.watched[ObjectIdentifier(connection)]?.waiting.removeValue(forKey: token) }
    }
}
