import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Follows a shared PostgreSQL store for a terminal that collects nothing itself (`ticktop --store
/// postgres`): on a connection of its own it `LISTEN`s for the `StoreChange` each committed write
/// announces, reads everything it shows once (`catchUp`), then, whenever notifications arrived,
/// the rows stamped with their change numbers, in one batch per wake (notifications that arrive
/// during a read wait for the next batch). No polling: between changes it only waits.
///
/// What it reads goes to its `MarketState` (`showStored`); the alerts, which the state's own alert
/// book does not raise here, are kept by the follower (`alerts`). When the store stops answering
/// (the connection breaks or a read times out) `status` says since when, and the follower
/// connects again with backoff, then catches up.
package final class StoreFollower: Service, Sendable {
    package let store: PostgresStore
    package let state: MarketState
    private let clock: any Clock<Duration>
    private let timeSource: any TimeSource
    private let backoff: RetryBackoff
    private let logger: Logger
    private let shared: Mutex<Shared>
    /// What arrived since the reader last woke, and how to wake it.
    private let inbox = Mutex(Inbox())

    /// Alerts shown at most, newest first.
    static let alertLimit = 50

    private struct Shared: Sendable {
        var status: StoreFollowStatus
        /// Alerts by kind, subject and raising time (an update replaces the stored version).
        var alerts: [AlertKey: Alert] = [:]
        /// Ids of the anomalies shown (one read twice, at a catch-up, is shown once).
        var anomalyIDs: Set<Int64> = []
        /// The time of each source's newest transition shown (an older one read late is not shown).
        var healthAt: [SourceID: Timestamp] = [:]
    }

    private struct AlertKey: Hashable, Sendable {
        var kind: Alert.Kind
        var subject: String
        var raisedAt: Timestamp
    }

    private struct Inbox: Sendable {
        var changes: [StoreChange] = []
        /// A notification this build cannot read, or a new watchlist: read everything again.
        var catchUp = false
        var wake: AsyncStream<Void>.Continuation?
    }

    package init(
        store: PostgresStore, state: MarketState, clock: any Clock<Duration>, timeSource: any TimeSource,
        backoff: RetryBackoff = RetryBackoff(initial: .milliseconds(500), maximum: .seconds(10)), logger: Logger
    ) {
        self.store = store
        self.state = state
        self.clock = clock
        self.timeSource = timeSource
        self.backoff = backoff
        self.logger = logger
        shared = Mutex(Shared(status: StoreFollowStatus(location: store.location)))
    }

    /// How the follower reaches the store now.
    package var status: StoreFollowStatus { shared.withLock { $0.status } }

    /// The stored alerts shown: open ones and recently cleared ones, newest first.
    package var alerts: [Alert] {
        let all = shared.withLock { Array($0.alerts.values) }
        return Array(all.sorted { ($0.raisedAt, $0.subject) > ($1.raisedAt, $1.subject) }.prefix(Self.alertLimit))
    }

    /// Reads everything shown again (the watchlist changed), after the read under way if any.
    package func catchUpAgain() {
        inbox.withLock {
            $0.catchUp = true
            $0.wake?.yield()
        }
    }

    /// Reads everything shown once, on a connection of its own, without listening (`--once`).
    package func catchUpOnce() async throws(StoreError) {
        let connection = try await store.followingConnection(logger: logger)
        do {
            try await catchUp(on: connection)
        } catch {
            try? await connection.close()
            lost(error)
            throw store.storeError(.read, error)
        }
        try? await connection.close()
    }

    package func run() async throws {
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let caughtUp = status.caughtUpAt
            do {
                try await cancelWhenGracefulShutdown { try await self.follow() }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                lost(error)
            }
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
            if status.caughtUpAt != caughtUp { failures = 0 }  // it was connected: the backoff starts over
            let delay = backoff.delay(forAttempt: failures)
            failures += 1
            do {
                try await cancelWhenGracefulShutdown { try await self.clock.sleep(for: delay, purpose: "store reconnect") }
            } catch { break }
        }
    }

    /// One connection: `LISTEN`, catch up, then read each batch of changes until the connection
    /// breaks or a read gets no answer within the store's `operationTimeout` (thrown). The
    /// connection's close is watched beside the listening, and it is closed before anything is
    /// awaited on the way out, so that nothing pending on it can hold the follower.
    private func follow() async throws {
        let connection = try await store.followingConnection(logger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.listen(on: connection) }
                group.addTask {
                    await Self.closed(connection)
                    throw ListenEnded()
                }
                var ended: (any Error)?
                do { try await group.next() } catch { ended = error }
                try? await connection.close()
                group.cancelAll()
                if let ended { throw ended }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.close()
    }

    /// Returns once `connection` is closed, by either side; ends early when the task is cancelled
    /// (unlike waiting on the close future itself).
    private static func closed(_ connection: PostgresConnection) async {
        let (closed, ended) = AsyncStream.makeStream(of: Void.self)
        connection.closeFuture.whenComplete { _ in ended.finish() }
        for await _ in closed {}
    }

    /// `LISTEN`, catch up, then read each batch of changes (see `follow`).
    private func listen(on connection: PostgresConnection) async throws {
        try await connection.listen(on: StoreChange.channel) { notifications in
            let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            inbox.withLock {
                $0 = Inbox(wake: wake)
            }
            // Listening first: a write committed during the catch-up is announced, and read after it.
            try await catchUp(on: connection)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        let change = StoreChange(payload: notification.payload)
                        self.inbox.withLock {
                            if let change { $0.changes.append(change) } else { $0.catchUp = true }
                            $0.wake?.yield()
                        }
                    }
                    throw ListenEnded()
                }
                group.addTask {
                    for await _ in wakes {
                        let (changes, again) = self.inbox.withLock { inbox in
                            defer { (inbox.changes, inbox.catchUp) = ([], false) }
                            return (inbox.changes, inbox.catchUp)
                        }
                        if again {
                            try await self.catchUp(on: connection)
                        } else if !changes.isEmpty {
                            try await self.read(changes, on: connection)
                        }
                    }
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// The notifications ended, or the connection closed: the connection is gone.
    private struct ListenEnded: Error, CustomStringConvertible {
        var description: String { "the server closed the connection" }
    }

    private func catchUp(on connection: PostgresConnection) async throws {
        let symbols = state.watched.symbols
        let rows = try await store.catchUp(symbols: symbols, on: connection, logger: logger)
        let now = timeSource.now()
        let back = shared.withLock { shared in
            let wasUnreachable = shared.status.unreachableSince
            shared.status.unreachableSince = nil
            shared.status.problem = nil
            shared.status.caughtUpAt = now
            shared.status.storeHasQuotes = rows.storeHasQuotes
            return wasUnreachable
        }
        await show(rows)  // after the status: the generation it makes shows the store reached
        if let back {
            logger.notice(
                "store reachable again", metadata: ["store": "\(store.location)", "unreachable-since": "\(back.iso8601)"])
        }
        logger.info(
            "caught up with the store",
            metadata: ["store": "\(store.location)", "quotes": "\(rows.quotes.count)", "bars": "\(rows.bars.count)"])
    }

    private func read(_ changes: [StoreChange], on connection: PostgresConnection) async throws {
        let rows = try await store.changedRows(changes, symbols: state.watched.symbols, on: connection, logger: logger)
        let now = timeSource.now()
        shared.withLock { $0.status.lastChangeAt = now }
        await show(rows)
    }

    /// Shows the rows not shown yet, as one generation of the state.
    private func show(_ rows: StoreRows) async {
        let (anomalies, health) = shared.withLock { shared in
            for alert in rows.alerts {
                shared.alerts[AlertKey(kind: alert.kind, subject: alert.subject, raisedAt: alert.raisedAt)] = alert
            }
            if shared.alerts.count > Self.alertLimit * 2 {
                let kept = shared.alerts.sorted { $0.value.raisedAt > $1.value.raisedAt }.prefix(Self.alertLimit)
                shared.alerts = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
            }
            let anomalies = rows.anomalies.filter { shared.anomalyIDs.insert($0.id).inserted }.map(\.anomaly)
            var health: [HealthTransition] = []
            for transition in rows.transitions where transition.at >= shared.healthAt[transition.source] ?? Timestamp(nanoseconds: .min) {
                shared.healthAt[transition.source] = transition.at
                health.append(transition)
            }
            return (anomalies, health)
        }
        await state.showStored(quotes: rows.quotes, bars: rows.bars, anomalies: anomalies, health: health)
    }

    /// The connection broke or a read failed: unreachable since now, unless it already was.
    private func lost(_ error: any Error) {
        let problem = store.storeError(.read, error)
        let now = timeSource.now()
        let first = shared.withLock { shared in
            defer {
                shared.status.unreachableSince = shared.status.unreachableSince ?? now
                shared.status.problem = problem.detail
            }
            return shared.status.unreachableSince == nil
        }
        if first {
            logger.warning("store unreachable; reconnecting with backoff", metadata: ["error": "\(problem)"])
        }
    }
}
