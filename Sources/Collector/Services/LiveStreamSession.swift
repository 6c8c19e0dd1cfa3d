import Logging
import Synchronization

/// One connection of a `LiveStreamService`, from connect to close. One loop handles
/// every input in turn (frames, watchlist changes, the watchdog), so no state is shared.
struct LiveStreamSession {
    let service: LiveStreamService
    /// Reconnects so far, and why the last connection ended (shown in the health detail).
    let reconnects: Int
    let lastReason: String?

    /// Why the connection ended, and since when it had been live (nil if it never was).
    struct Outcome {
        var failure: StreamFailure
        var liveSince: Timestamp?
    }

    enum Input: Sendable {
        case frame(String)
        case ended((any Error)?)
        case symbols([Symbol])
        case silent
        /// `connectTimeout` passed since dialing.
        case handshakeDeadline
    }

    enum Phase { case greeting, authenticating, live }

    var provider: any StreamProvider { service.provider }
    var id: SourceID { service.id }

    func run() async -> Outcome {
        let shown = provider.redactor.redact(url: provider.url)
        let connection: any WebSocketConnection
        let deadline = service.settings.connectDeadline()
        do {
            connection = try await connect(before: deadline)
            service.status.countOpened()
        } catch {
            let text = provider.redactor.scrub("could not connect to \(shown): \(error)")
            return Outcome(failure: StreamFailure(text, state: .down, action: .reconnect))
        }
        let (inputs, sink) = AsyncStream<Input>.makeStream()
        let buffer = StreamBuffer(capacity: service.settings.bufferCapacity)
        let lastData = DataMark(service.timeSource.now())
        let again = reconnects > 0 ? "; reconnect \(reconnects)" + (lastReason.map { " after: \($0)" } ?? "") : ""
        let note = "streaming from \(shown)\(again)"
        let outcome = await withTaskGroup(of: Void.self, returning: Outcome.self) { group in
            group.addTask {
                do {
                    for try await text in connection.messages { sink.yield(.frame(text)) }
                    sink.yield(.ended(nil))
                } catch {
                    sink.yield(.ended(error))
                }
            }
            group.addTask {
                for await symbols in service.watched.updates() { sink.yield(.symbols(symbols)) }
            }
            group.addTask { await watchdog(lastData: lastData, sink: sink) }
            group.addTask {
                guard (try? await deadline()) != nil else { return }
                sink.yield(.handshakeDeadline)
            }
            group.addTask {
                for await _ in buffer.doorbell { await service.deliver(buffer, note: note) }
            }
            let outcome = await handle(inputs, connection: connection, buffer: buffer, lastData: lastData, note: note)
            buffer.finish()
            sink.finish()
            group.cancelAll()
            return outcome
        }
        await service.deliver(buffer, note: note)
        await connection.close()
        return outcome
    }

    /// Opens the connection, giving up at `deadline` (a connection that opens just as the
    /// time runs out is closed, never left behind).
    private func connect(before deadline: @escaping @Sendable () async throws -> Void) async throws -> any WebSocketConnection {
        let transport = service.transport
        let (url, headers) = (provider.url, provider.headers)
        let timeout = service.settings.connectTimeout
        return try await withThrowingTaskGroup(of: (any WebSocketConnection)?.self) { group in
            group.addTask { try await transport.connect(url: url, headers: headers) }
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
    private func watchdog(lastData: DataMark, sink: AsyncStream<Input>.Continuation) async {
        let limit = service.settings.staleAfter
        while !Task.isCancelled {
            let due = lastData.time + limit
            let now = service.timeSource.now()
            var wait = due - now
            if wait <= .zero {
                sink.yield(.silent)
                wait = limit
            }
            do { try await service.clock.sleep(for: wait) } catch { return }
        }
    }

    private func handle(
        _ inputs: AsyncStream<Input>, connection: any WebSocketConnection, buffer: StreamBuffer,
        lastData: DataMark, note: String
    ) async -> Outcome {
        var phase = Phase.greeting
        var wanted: [Symbol] = []
        var subscribed: Set<Symbol> = []
        var lastAdded: [Symbol] = []
        var liveSince: Timestamp?
        var malformed = 0
        func end(_ failure: StreamFailure) -> Outcome { Outcome(failure: failure, liveSince: liveSince) }
        func send(_ frames: [String]) async -> StreamFailure? {
            for frame in frames {
                do { try await connection.send(frame) } catch {
                    return StreamFailure(provider.redactor.scrub("sending failed: \(error)"), state: .down, action: .reconnect)
                }
            }
            return nil
        }
        /// Subscribes and unsubscribes the difference between `subscribed` and `wanted`.
        func follow() async -> StreamFailure? {
            let target = Set(wanted)
            let removed = subscribed.subtracting(target).sorted()
            let added = wanted.filter { !subscribed.contains($0) }
            if let failure = await send(provider.unsubscribeFrames(removed)) { return failure }
            if let failure = await send(provider.subscribeFrames(added)) { return failure }
            if !added.isEmpty { lastAdded = added }
            subscribed = target
            service.status.setSubscribed(target)
            return nil
        }
        /// Subscribes the wanted symbols and reports the stream up.
        func becomeLive(at now: Timestamp) async -> StreamFailure? {
            phase = .live
            liveSince = now
            lastData.time = now
            if let failure = await follow() { return failure }
            service.status.set(true)
            service.pipeline.submit(IngestBatch(health: [
                .changed(id, state: .streaming, detail: note),
                .streamed(id, reconnects: 0, coalesced: 0, dropped: 0),  // the counters show from the start
            ]))
            return nil
        }
        if provider.isLiveOnConnect {
            wanted = service.watched.symbols.filter(provider.serves)
            if let failure = await becomeLive(at: service.timeSource.now()) { return end(failure) }
        }
        for await input in inputs {
            let now = service.timeSource.now()
            switch input {
            case .ended(let error):
                let why = error.map { "the connection failed: \($0)" } ?? "the server closed the connection"
                return end(StreamFailure(provider.redactor.scrub(why), state: .down, action: .reconnect))
            case .handshakeDeadline:
                // A greeting or an answer to the auth frame that never comes (a server that closed as
                // the upgrade finished can leave the library's connection hanging): try again.
                guard phase != .live else { continue }
                let step = phase == .greeting ? "no greeting" : "no answer to the authentication"
                let text = "\(step) within \(service.settings.connectTimeout.ageText) of dialing"
                return end(StreamFailure(text, state: .down, action: .reconnect))
            case .symbols(let symbols):
                wanted = symbols.filter(provider.serves)
                if phase == .live, let failure = await follow() { return end(failure) }
            case .silent:
                let open = wanted.contains { MarketSession.current(for: $0.assetClass, at: now) == .open }
                guard open else { continue }
                let text = "no market data for \(service.settings.staleAfter.ageText) while the market is open: the stream is stale"
                return end(StreamFailure(text, state: .degraded, action: .reconnect))
            case .frame(let text):
                for message in provider.decoder.decode(text, source: id, receivedAt: now) {
                    switch message {
                    case .event(let event):
                        guard subscribed.contains(event.symbol) else {  // late data after an unsubscribe
                            buffer.countDropped()
                            continue
                        }
                        lastData.time = now
                        if !buffer.push(event) { await buffer.waitForRoom() }  // back-pressure on the socket
                        // Quotes never fill the buffer (they coalesce), so this push needs no room.
                        if case .trade(let trade) = event, let quote = provider.quote(for: trade) { buffer.push(.quote(quote)) }
                    case .connected where phase == .greeting:
                        if let auth = provider.authenticationFrame() {
                            phase = .authenticating
                            if let failure = await send([auth]) { return end(failure) }
                            continue
                        }
                        fallthrough
                    case .authenticated where phase != .live:
                        if let failure = await becomeLive(at: now) { return end(failure) }
                    case .error(let code, let text):
                        var failure = provider.failure(code: code, message: text)
                        var unsubscribed: [HealthEvent] = []
                        if code == 405, !lastAdded.isEmpty {
                            // Each symbol left out says why on its own row.
                            let reason = "not subscribed on \(id.label)'s stream: \(failure.message)"
                            unsubscribed = lastAdded.map { .noData(id, $0, reason: reason) }
                            failure.message += "; not subscribed: \(lastAdded.map(\.rawValue).joined(separator: ", "))"
                        }
                        guard failure.action == .keepConnection else { return end(failure) }
                        service.logger.warning("stream error", metadata: ["source": "\(id)", "error": "\(failure.message)"])
                        service.pipeline.submit(IngestBatch(health: [.changed(id, state: failure.state, detail: failure.message)] + unsubscribed))
                    case .malformed(let what):
                        malformed += 1
                        let detail = provider.redactor.scrub("\(malformed) unreadable stream message(s), last: \(what)")
                        service.logger.warning("malformed stream message", metadata: ["source": "\(id)", "detail": "\(detail)"])
                        service.pipeline.submit(IngestBatch(health: [.changed(id, state: .degraded, detail: detail)]))
                    case .connected, .authenticated, .subscription, .ignored:
                        continue
                    }
                }
            }
        }
        return end(StreamFailure("the stream stopped", state: .down, action: .reconnect))
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
