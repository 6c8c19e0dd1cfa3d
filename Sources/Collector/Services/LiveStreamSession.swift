import Logging
import ServiceLifecycle
import Synchronization

/// The I/O of a `LiveStreamService`'s connections: it dials, feeds what happens (frames, or an
/// in-process source's values; watchlist changes, the watchdog, the connect deadline) to the `StreamProtocolMachine` one
/// input at a time, and carries out the actions it returns. The protocol itself lives in the
/// machine; this only moves bytes, values and reports.
struct LiveStreamSession<C: Clock<Duration>>: Sendable {
    let provider: any StreamProvider
    let transport: any StreamTransport
    let watched: WatchedSymbols
    let pipeline: IngestPipeline
    let clock: C
    let timeSource: any TimeSource
    let settings: LiveStreamSettings
    let status: StreamStatus
    let logger: Logger
    let messages: CollectorMetrics.StreamMessages

    /// What the service does after a connection: dial again at an instant, or not at all.
    enum Next {
        case dial(at: C.Instant)
        case stop
        /// The task was cancelled or the collector is shutting down.
        case cancelled
    }

    /// What the I/O loop hears, before it is stamped with the time and handed to the machine.
    private enum Signal: Sendable {
        case inbound(StreamInbound)
        case ended((any Error)?)
        case symbols([Symbol])
        case silent
        /// `connectTimeout` passed since dialing.
        case deadline
        /// The collector shuts down gracefully: the connection ends with a normal close.
        case shutdown
    }

    private var id: SourceID { provider.id }
    private var isStopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    /// One connection, from dialing to its end; the machine's verdict on that end is carried out
    /// (reported) and returned as what to do next. A graceful shutdown ends it too: what waits is
    /// delivered and the connection closed normally (`.cancelled`).
    func run(_ machine: inout StreamProtocolMachine) async -> Next {
        let deadline = settings.connectDeadline()
        let connection: any StreamConnection
        do {
            connection = try await cancelWhenGracefulShutdown { try await connect(before: deadline) }
            status.countOpened()
        } catch {
            if isStopping { return .cancelled }
            let failedAt = clock.now
            return conclude(machine.handle(.dialFailed("\(error)", at: timeSource.now())), from: failedAt)
        }
        let (signals, sink) = AsyncStream<Signal>.makeStream()
        let buffer = StreamBuffer(capacity: settings.bufferCapacity)
        let lastData = DataMark(timeSource.now())
        let note = machine.connectionNote
        let watching = watched.symbols
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                guard (try? await gracefulShutdown()) != nil else { return }  // cancelled: the connection ended
                sink.yield(.shutdown)
            }
            group.addTask {
                do {
                    try await connection.receive { sink.yield(.inbound($0)) }
                    sink.yield(.ended(nil))
                } catch {
                    sink.yield(.ended(error))
                }
            }
            group.addTask {
                for await symbols in watched.updates() { sink.yield(.symbols(symbols)) }
            }
            if !provider.options.inProcess {  // an in-process source's silence is its pacing
                group.addTask { await watchdog(lastData: lastData, sink: sink) }
            }
            group.addTask {
                guard (try? await deadline()) != nil else { return }
                sink.yield(.deadline)
            }
            group.addTask {
                for await _ in buffer.doorbell { await deliver(buffer, note: note) }
            }
            await follow(
                &machine, signals, from: .connected(at: timeSource.now(), watching: watching),
                connection: connection, buffer: buffer, lastData: lastData)
            buffer.finish()
            sink.finish()
            group.cancelAll()
        }
        await deliver(buffer, note: note)
        await connection.close()
        if isStopping { return .cancelled }
        let failedAt = clock.now
        return conclude(machine.handle(.hungUp(at: timeSource.now())), from: failedAt)
    }

    /// Hands the machine each signal and carries out its actions, until it hangs up.
    private func follow(
        _ machine: inout StreamProtocolMachine, _ signals: AsyncStream<Signal>, from first: StreamProtocolMachine.Input,
        connection: any StreamConnection, buffer: StreamBuffer, lastData: DataMark
    ) async {
        var input: StreamProtocolMachine.Input? = first
        var iterator = signals.makeAsyncIterator()
        var delivered: [MarketEvent] = []
        while true {
            let actions = machine.handle(input ?? .inputsEnded)
            if let time = machine.lastData { lastData.time = time }
            input = nil
            for action in actions {
                if case .deliver(let events) = action {
                    // Usually the frame's one batch: taken as it is, not copied.
                    if delivered.isEmpty { delivered = events } else { delivered += events }
                    continue
                }
                await push(&delivered, into: buffer)  // the values before this action, first
                switch action {
                case .send(let frame):
                    do {
                        try await connection.send(frame)
                        messages.sentOne()
                    } catch {
                        input = .sendFailed("\(error)")
                    }
                case .deliver: break  // gathered above
                case .dropLate:
                    buffer.countDropped()
                case .hangUp:
                    return
                default:
                    apply(action)
                }
                if input != nil { break }  // the send failed: the machine decides (it hangs up)
            }
            await push(&delivered, into: buffer)
            if input != nil { continue }
            guard let signal = await iterator.next() else { continue }  // `.inputsEnded`
            if case .shutdown = signal { return }
            if case .inbound = signal { messages.receivedOne() }
            let now = timeSource.now()
            input =
                switch signal {
                case .inbound(.frame(let text)): .frame(text, at: now)
                case .inbound(.values(let values)): .values(values, at: now)
                case .ended(let failure as StreamFailure): .failed(failure)
                case .ended(let error): .closed(error: error.map { "\($0)" })
                case .symbols(let symbols): .wanted(symbols)
                case .silent: .silent(at: now)
                case .deadline: .deadline
                case .shutdown: .inputsEnded  // returned above
                }
        }
    }

    /// Hands the values the machine delivered to the buffer in one push (one lock and one ring
    /// for a frame's values, so they are drained together), each on the tape first, as received:
    /// before the buffer coalesces quotes. While trades and bars fill the buffer, the reader waits
    /// for the next drain before reading more (back-pressure on the socket).
    private func push(_ events: inout [MarketEvent], into buffer: StreamBuffer) async {
        guard !events.isEmpty else { return }
        pipeline.tape?.record(events)
        let hasRoom = buffer.push(contentsOf: events)
        events = []  // not kept: it is usually the machine's array, taken whole
        if !hasRoom { await buffer.waitForRoom() }
    }

    /// Carries out the machine's verdict on a connection's end; `failedAt` is when it ended.
    private func conclude(_ actions: [StreamProtocolMachine.Action], from failedAt: C.Instant) -> Next {
        var next = Next.stop
        for action in actions {
            switch action {
            // The wait ends at a fixed instant measured from the failure, so however late the
            // service starts sleeping, it reconnects `wait` after the failure, never later.
            case .reconnect(let wait), .pause(let wait): next = .dial(at: failedAt.advanced(by: wait))
            case .stop: next = .stop
            default: apply(action)
            }
        }
        return next
    }

    /// Carries out an action that reports (status, health, logs).
    private func apply(_ action: StreamProtocolMachine.Action) {
        switch action {
        case .subscribed(let symbols): status.setSubscribed(symbols)
        case .report(let health):
            status.follow(health)
            pipeline.submit(IngestBatch(health: health))
        case .warn(let message, let key, let text): logger.warning("\(message)", metadata: ["source": "\(id)", key: "\(text)"])
        case .send, .deliver, .dropLate, .hangUp, .reconnect, .pause, .stop: break
        }
    }

    /// Opens the connection, giving up at `deadline` (a connection that opens just as the
    /// time runs out is closed, never left behind).
    private func connect(before deadline: @escaping @Sendable () async throws -> Void) async throws -> any StreamConnection {
        let (transport, provider) = (transport, provider)
        let timeout = settings.connectTimeout
        return try await withThrowingTaskGroup(of: (any StreamConnection)?.self) { group in
            group.addTask { try await transport.connect(provider) }
            group.addTask {
                try await deadline()
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            // The other child: the cancelled sleep, or a connect that may still have succeeded.
            if let late = try? await group.next(), let connection = late { await connection.close() }
            guard let first else { throw WebSocketError("no connection within \(timeout.ageText)") }
            return first
        }
    }

    /// Signals `.silent` each time `staleAfter` passes without market data.
    private func watchdog(lastData: DataMark, sink: AsyncStream<Signal>.Continuation) async {
        let limit = settings.staleAfter
        while !Task.isCancelled {
            let due = lastData.time + limit
            let now = timeSource.now()
            var wait = due - now
            if wait <= .zero {
                sink.yield(.silent)
                wait = limit
            }
            do { try await clock.sleep(for: wait, purpose: "silence \(id)") } catch { return }
        }
    }

    /// Hands waiting values to the pipeline as one batch and waits until the state has it
    /// (meanwhile the buffer coalesces quotes); `note` (the URL and reconnect count) stays in
    /// the health detail, with the provider's standing issue. The coalesced and dropped counts go with it (reconnects are
    /// counted when they are scheduled).
    private func deliver(_ buffer: StreamBuffer, note: String?) async {
        let drained = buffer.drain()
        let now = timeSource.now()
        var health: [HealthFact] = [.streamed(id, reconnects: 0, coalesced: drained.coalesced, dropped: drained.dropped)]
        if !drained.events.isEmpty {
            health.append(
                .delivered(
                    id,
                    .init(
                        count: drained.events.count, path: .stream, feedDelay: FeedDelay(drained.events),
                        issue: provider.standingIssue, connection: note, at: now)))
        }
        status.follow(health)
        // One batch at a time: the next waits in the buffer, where quotes coalesce.
        await pipeline.sendAndWait(IngestBatch(origin: .live, events: drained.events, health: health))
    }
}

/// When market data last arrived (shared by the session loop and its watchdog).
final class DataMark: Sendable {
    private let nanoseconds: Atomic<Int64>

    init(_ time: Timestamp) { nanoseconds = Atomic(time.nanoseconds) }

    var time: Timestamp {
        get { Timestamp(nanoseconds: nanoseconds.load(ordering: .relaxed)) }
        set { nanoseconds.store(newValue.nanoseconds, ordering: .relaxed) }
    }
}
