/// What a `StreamProtocolMachine` does once a connection has ended.
extension StreamProtocolMachine {
    /// Counts the failure, reports it, and says when to dial again. The backoff resets only after
    /// a connection stayed up for `stableAfter`; the provider's error may ask for a pause or a stop
    /// instead. With a stand-in poller a failure the stream retries by itself is logged, and the
    /// source reads degraded until the poller delivers (its state is then the source's). With a
    /// circuit breaker, failures in a row open the circuit: a pause until it is half-open.
    mutating func hungUp(at now: Timestamp) -> [Action] {
        guard case .ending(let failure) = phase else { return [] }
        phase = .dialing
        if let liveSince, now - liveSince >= settings.stableAfter { failures = 0 }
        failures += 1
        reconnects += 1
        lastReason = failure.message
        var actions: [Action] = []
        let next: Action
        let text: String
        switch failure.action {
        case .stop:
            phase = .stopped
            return actions + report(failure, text: failure.message, at: now) + [.stop]
        case .pause(let pause):
            next = .pause(pause)
            text = "\(failure.message); next attempt at \((now + pause).clockText)"
        case .reconnect, .keepConnection:
            if circuit?.recordFailure(at: now) == true, case .open(let until) = circuit?.state {
                let text = "\(failure.message); \(failures) failures in a row, paused until \(until.clockText)"
                return actions + [.report([.streamed(id, reconnects: 1, coalesced: 0, dropped: 0)])]
                    + report(failure, text: text, cause: .circuitOpen(until: until), at: now) + [.pause(until - now)]
            }
            let wait = settings.jitter(settings.backoff.delay(forAttempt: failures))
            next = .reconnect(after: wait)
            text =
                provider.options.inProcess
                ? "\(failure.message); retrying in \(wait.ageText)"
                : "\(failure.message); reconnect \(reconnects) in \(wait.ageText)"
        }
        actions.append(.report([.streamed(id, reconnects: 1, coalesced: 0, dropped: 0)]))
        // With a stand-in poller, its state is the source's (a drop shows as degraded until it
        // delivers); but a pause, and a stale stream (connected, yet silent while the market
        // is open), are the stream's to show.
        var shown = !settings.pollingFallback || failure.state == .degraded
        if case .pause = failure.action { shown = true }
        if shown {
            actions += report(failure, text: text, at: now)
        } else {
            // The poller's next delivery will speak for the source; until then it must not
            // read `streaming` with its connection gone.
            let message = provider.redactor.scrub("stream down: \(text); polling meanwhile")
            actions += [
                .warn("stream down, polling meanwhile", key: "error", text: message),
                .report([.failed(id, .init(.stream(judged: failure.state, pollerStandsIn: true), message: message, at: now))])
            ]
        }
        return actions + [next]
    }

    /// `cause`: the stream's own judgement unless the circuit opened.
    private func report(
        _ failure: StreamFailure, text: String, cause: HealthFact.Failure.Cause? = nil, at now: Timestamp
    ) -> [Action] {
        let message = provider.redactor.scrub(text)
        let cause = cause ?? .stream(judged: failure.state, pollerStandsIn: false)
        return [
            .warn("stream failed", key: "error", text: message),
            .report([.failed(id, .init(cause, message: message, at: now))])
        ]
    }
}
