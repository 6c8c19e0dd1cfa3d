/// A provider's stream protocol as a pure state machine, for every connection of one stream:
/// greeting, authentication, going live, following the wanted symbols with subscribe and
/// unsubscribe frames, the provider's error codes, the watchdog's verdict, and what to do once
/// a connection has ended (reconnect after the backoff, pause, or stop).
///
/// It does no I/O: each input returns the actions to take, in order, and `LiveStreamSession`
/// carries them out. The `StreamProvider` says how to talk to the provider; `LiveStreamSettings`
/// gives the timing (backoff, jitter, stale and connect limits, a stand-in poller).
package struct StreamProtocolMachine: Sendable {
    /// What happened, as the I/O loop saw it. `at` is the time source's `now`.
    package enum Input: Sendable {
        /// The connection opened; `watching` are the symbols watched at that moment.
        case connected(at: Timestamp, watching: [Symbol])
        /// A text frame arrived (decoded with the provider's decoder).
        case frame(String, at: Timestamp)
        /// A frame's messages, decoded already.
        case messages([StreamMessage], at: Timestamp)
        /// An in-process source's values (`StreamInbound.values`).
        case values([MarketEvent], at: Timestamp)
        /// The watched symbols changed.
        case wanted([Symbol])
        /// `staleAfter` passed without market data.
        case silent(at: Timestamp)
        /// `connectTimeout` passed since dialing.
        case deadline
        /// The connection ended: nil when the server closed it, else the error's text.
        case closed(error: String?)
        /// The connection ended for a reason its source judged already (an in-process source's
        /// failure, mapped through its health: see `InProcessStreamConnection`).
        case failed(StreamFailure)
        /// Sending a frame failed.
        case sendFailed(String)
        /// The inputs ended without a reason (the session is being stopped).
        case inputsEnded
        /// The connection could not be opened (`error`: why).
        case dialFailed(String, at: Timestamp)
        /// The connection ended by a `.hangUp` is closed and its values delivered.
        case hungUp(at: Timestamp)
    }

    /// What to do, in order. After `.hangUp` the connection is over: close it, then send `.hungUp`.
    package enum Action: Sendable, Hashable {
        case send(String)
        /// Hand these values to the buffer, in order (waiting for room when it is full:
        /// back-pressure). A frame's values that come together are one action (never empty).
        case deliver([MarketEvent])
        /// Count a value that came after its symbol was unsubscribed (not delivered).
        case dropLate
        /// The symbols now subscribed on the open connection (for the poller standing in).
        case subscribed(Set<Symbol>)
        /// Submit health events, as one batch. They are the one account of whether the stream is
        /// up (`StreamStatus.follow` derives the poller's view from them).
        case report([HealthFact])
        /// Log a warning; `key` names what `text` is (`error`, `detail`).
        case warn(String, key: String, text: String)
        /// End this connection (deliver what waits, close it), then send `.hungUp`.
        case hangUp
        /// Dial again `after` the end of the connection (a backoff wait, jitter applied).
        case reconnect(after: Duration)
        /// Dial again after this pause (e.g. another session holds the connection).
        case pause(Duration)
        /// Do not dial again until the collector restarts.
        case stop
    }

    /// Where a connection stands in the protocol.
    package enum Phase: Sendable, Hashable {
        case dialing, greeting, authenticating, live
        /// Hung up (or never connected) for `failure`, until `.hungUp` decides what next.
        case ending(StreamFailure)
        case stopped
    }

    let provider: any StreamProvider
    let settings: LiveStreamSettings
    /// The URL as it may be shown (a token in it masked).
    let shownURL: String

    package internal(set) var phase = Phase.dialing
    /// The watched symbols this stream serves, and those subscribed on the open connection.
    package internal(set) var wanted: [Symbol] = []
    package internal(set) var subscribed: Set<Symbol> = []
    /// The last symbols subscribed (a 405 names them: they are over the plan's limit).
    private var lastAdded: [Symbol] = []
    /// When the connection went live, and when market data last arrived (the watchdog's mark).
    package internal(set) var liveSince: Timestamp?
    package internal(set) var lastData: Timestamp?
    private var malformed = 0
    /// Failures since the last connection that stayed up `stableAfter` (the backoff's attempt).
    package internal(set) var failures = 0
    /// Connections ended so far, and why the last one did (both shown in the health detail).
    package internal(set) var reconnects = 0
    package internal(set) var lastReason: String?
    /// The circuit over the connections, where the provider has one (`StreamOptions.circuitBreaker`).
    package internal(set) var circuit: CircuitBreaker?

    package init(provider: any StreamProvider, settings: LiveStreamSettings) {
        self.provider = provider
        self.settings = settings
        self.shownURL = provider.redactor.redact(url: provider.url)
        self.circuit = provider.options.circuitBreaker.map(CircuitBreaker.init(settings:))
    }

    var id: SourceID { provider.id }

    /// The health detail while this connection streams: the URL, and the reconnects so far with why.
    package var note: String {
        let again = reconnects > 0 ? "; reconnect \(reconnects)" + (lastReason.map { " after: \($0)" } ?? "") : ""
        return "streaming from \(shownURL)\(again)"
    }

    /// The connection a delivery came by, for its health detail: `note`, or nil in process
    /// (there is no URL to show).
    package var connectionNote: String? { provider.options.inProcess ? nil : note }

    /// Takes one input; returns the actions it calls for, in order.
    package mutating func handle(_ input: Input) -> [Action] {
        if case .stopped = phase { return [] }
        if case .ending = phase {
            guard case .hungUp(let now) = input else { return [] }  // the connection is over: only its end counts
            return hungUp(at: now)
        }
        switch input {
        case .connected(let now, let watching):
            phase = .greeting
            wanted = watching.filter(provider.serves)
            subscribed = []
            lastAdded = []
            liveSince = nil
            lastData = now
            malformed = 0
            return provider.isLiveOnConnect ? becomeLive(at: now) : []
        case .frame(let text, let now):
            return handle(.messages(provider.decoder.decode(text, source: id, receivedAt: now), at: now))
        case .messages(let messages, let now):
            return read(messages, at: now)
        case .values(let values, let now):
            return take(values, at: now)
        case .wanted(let symbols):
            wanted = symbols.filter(provider.serves)
            return phase == .live ? follow() : []
        case .silent(let now):
            guard !provider.options.inProcess else { return [] }  // silence is the source's pacing
            let open = wanted.contains { MarketSession.current(for: $0.assetClass, at: now) == .open }
            guard open, phase != .dialing else { return [] }
            let text = "no market data for \(settings.staleAfter.ageText) while the market is open: the stream is stale"
            return end(StreamFailure(text, state: .degraded, action: .reconnect))
        case .deadline:
            // A greeting or an answer to the auth frame that never comes (a server that closed as
            // the upgrade finished can leave the library's connection hanging): try again.
            guard phase == .greeting || phase == .authenticating else { return [] }
            let step = phase == .greeting ? "no greeting" : "no answer to the authentication"
            return end(
                StreamFailure("\(step) within \(settings.connectTimeout.ageText) of dialing", state: .down, action: .reconnect))
        case .closed(let error):
            let why = error.map { "the connection failed: \($0)" } ?? "the server closed the connection"
            return end(StreamFailure(provider.redactor.scrub(why), state: .down, action: .reconnect))
        case .failed(var failure):
            failure.message = provider.redactor.scrub(failure.message)
            return end(failure)
        case .sendFailed(let error):
            return end(StreamFailure(provider.redactor.scrub("sending failed: \(error)"), state: .down, action: .reconnect))
        case .inputsEnded:
            return end(StreamFailure("the stream stopped", state: .down, action: .reconnect))
        case .dialFailed(let error, let now):
            let text = provider.redactor.scrub("could not connect to \(shownURL): \(error)")
            liveSince = nil
            phase = .ending(StreamFailure(text, state: .down, action: .reconnect))
            return hungUp(at: now)
        case .hungUp:
            return []
        }
    }

    /// Ends the connection for `failure`: `.hangUp`, and `.hungUp` then says what next.
    private mutating func end(_ failure: StreamFailure) -> [Action] {
        phase = .ending(failure)
        return [.hangUp]
    }

    private mutating func read(_ messages: [StreamMessage], at now: Timestamp) -> [Action] {
        var actions: [Action] = []
        // The values since the last other action, delivered as one.
        var values: [MarketEvent] = []
        func deliverValues() {
            guard !values.isEmpty else { return }
            actions.append(.deliver(values))
            values = []
        }
        for message in messages {
            if case .event(let event) = message {
                guard subscribed.contains(event.symbol) else {  // late data after an unsubscribe
                    deliverValues()
                    actions.append(.dropLate)
                    continue
                }
                if values.isEmpty {
                    lastData = now
                    circuit?.recordSuccess()
                    values.reserveCapacity(messages.count)
                }
                values.append(event)
                if case .trade(let trade) = event, let quote = provider.quote(for: trade) {
                    values.append(.quote(quote))
                }
                continue
            }
            deliverValues()
            switch message {
            case .event:
                break  // read above
            case .connected where phase == .greeting:
                if let auth = provider.authenticationFrame() {
                    phase = .authenticating
                    actions.append(.send(auth))
                    continue
                }
                actions += becomeLive(at: now)
            case .authenticated where phase != .live:
                actions += becomeLive(at: now)
            case .error(let code, let text):
                actions += error(code: code, text: text)
            case .malformed(let what):
                malformed += 1
                let detail = provider.redactor.scrub("\(malformed) unreadable stream message(s), last: \(what)")
                actions += [
                    .warn("malformed stream message", key: "detail", text: detail),
                    .report([.streamTrouble(id, message: detail, degrades: true)])
                ]
            case .connected, .authenticated, .subscription, .ignored:
                continue
            }
            if case .ending = phase { break }
        }
        deliverValues()
        return actions
    }

    /// An in-process source's values: delivered as the array they came in when each is of a
    /// subscribed symbol and no trade brings a quote (`StreamProvider.quote(for:)`: none of the
    /// in-process ones makes any), else read one by one.
    private mutating func take(_ values: [MarketEvent], at now: Timestamp) -> [Action] {
        let asTheyCame = values.allSatisfy { event in
            if case .trade(let trade) = event, provider.quote(for: trade) != nil { return false }
            return subscribed.contains(event.symbol)
        }
        guard asTheyCame, !values.isEmpty else { return read(values.map(StreamMessage.event), at: now) }
        lastData = now
        circuit?.recordSuccess()
        return [.deliver(values)]
    }

    /// An error the server sent: kept (reported on the open connection) or the connection's end.
    private mutating func error(code: Int, text: String) -> [Action] {
        var failure = provider.failure(code: code, message: text)
        var unsubscribed: [HealthFact] = []
        if code == 405, !lastAdded.isEmpty {
            // Each symbol left out says why on its own row.
            let reason = "not subscribed on \(id.label)'s stream: \(failure.message)"
            unsubscribed = lastAdded.map { .noData(id, $0, reason: reason) }
            failure.message += "; not subscribed: \(lastAdded.map(\.rawValue).joined(separator: ", "))"
        }
        guard failure.action == .keepConnection else { return end(failure) }
        return [
            .warn("stream error", key: "error", text: failure.message),
            .report([.streamTrouble(id, message: failure.message, degrades: failure.state != .streaming)] + unsubscribed)
        ]
    }

    /// Subscribes the wanted symbols and reports the stream up, or half-open while the first
    /// connection after an open circuit is the probe (its first market data closes the circuit).
    /// An in-process stream is up once its values come (`delivered`, with the source's standing
    /// issue): connecting to it says nothing, and a source in an outage fails at its first tick,
    /// so a retry must not read `streaming` meanwhile.
    private mutating func becomeLive(at now: Timestamp) -> [Action] {
        phase = .live
        liveSince = now
        lastData = now
        // Past the open period (dialled at its end, by whichever clock): this connection is the probe.
        if case .open(let until) = circuit?.state { _ = circuit?.waitBeforeAttempt(at: max(now, until)) }
        var up: [HealthFact] = []
        if circuit?.state == .halfOpen {
            up = [.probing(id)]
        } else if !provider.options.inProcess {
            up = [.connected(id, detail: note)]
        }
        return follow() + [
            .report(up + [.streamed(id, reconnects: 0, coalesced: 0, dropped: 0)])  // the counters show from the start
        ]
    }

    /// Unsubscribes and subscribes the difference between `subscribed` and `wanted`.
    private mutating func follow() -> [Action] {
        let target = Set(wanted)
        let removed = subscribed.subtracting(target).sorted()
        let added = wanted.filter { !subscribed.contains($0) }
        let frames = provider.unsubscribeFrames(removed) + provider.subscribeFrames(added)
        if !added.isEmpty { lastAdded = added }
        subscribed = target
        return frames.map(Action.send) + [.subscribed(target)]
    }
}
