import Collector
import CollectorTestSupport
import Testing

private let M = StreamMachineFixtures.self

/// Every documented stream error of every provider (provider-formats.md §1.6, §4.4, §5.4), sent
/// on a live connection, and what the machine then does: keep the connection (reporting the
/// state), or hang up and reconnect after the backoff, pause, or stop.
@Suite("Stream protocol error codes")
struct StreamProtocolErrorTableTests {
    enum Outcome: Sendable, Hashable, CustomStringConvertible {
        case keeps(HealthState)
        case reconnects(HealthState)
        case pauses(HealthState)
        case stops
        var description: String {
            switch self {
            case .keeps(let state): "keeps (\(state.rawValue))"
            case .reconnects(let state): "reconnects (\(state.rawValue))"
            case .pauses(let state): "pauses (\(state.rawValue))"
            case .stops: "stops"
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var provider: String
        var frame: String
        var outcome: Outcome
        /// What the report says, from its start.
        var says: String
        var description: String { "\(provider) \(frame)" }
    }

    static let cases: [Case] = [
        alpaca(400, "invalid syntax", .keeps(.degraded), "ticktop sent a message Alpaca could not read"),
        alpaca(401, "not authenticated", .reconnects(.down), "not authenticated in time; reconnecting"),
        alpaca(402, "auth failed", .stops, "the key or secret was refused; not reconnecting"),
        alpaca(403, "already authenticated", .keeps(.streaming), "already authenticated"),
        alpaca(404, "auth timeout", .reconnects(.down), "not authenticated in time; reconnecting"),
        alpaca(405, "symbol limit exceeded", .keeps(.degraded), "over the plan's symbol limit; not subscribed: AAPL"),
        alpaca(406, "connection limit exceeded", .pauses(.down), "another session already holds this account's connection"),
        alpaca(407, "slow client", .reconnects(.degraded), "ticktop read too slowly; reconnecting"),
        alpaca(408, "v2 not enabled", .stops, "the account lacks real-time data access; not reconnecting"),
        alpaca(409, "insufficient subscription", .stops, "the feed is not in the plan"),
        alpaca(410, "invalid subscribe action for this feed", .keeps(.degraded), "a channel this feed does not offer"),
        alpaca(411, "insufficient scope", .stops, "the account lacks real-time data access; not reconnecting"),
        alpaca(429, "rate limit exceeded", .pauses(.rateLimited), "too many connection attempts"),
        alpaca(500, "internal error", .reconnects(.down), "; reconnecting"),
        polygon("auth_failed", "authentication failed", .stops, "the key was refused; not reconnecting"),
        polygon("auth_timeout", "No authentication request received.", .reconnects(.down), "; reconnecting"),
        polygon(
            "max_connections", "Maximum number of websocket connections exceeded.", .pauses(.down),
            "another session holds this key's connection"),
        Case(
            provider: "finnhub", frame: #"{"type":"error","msg":"Subscribing to too many symbols"}"#, outcome: .keeps(.degraded),
            says: "Finnhub stream error: Subscribing to too many symbols")
    ]

    static func alpaca(_ code: Int, _ message: String, _ outcome: Outcome, _ says: String) -> Case {
        Case(
            provider: "alpaca", frame: #"[{"T":"error","code":\#(code),"msg":"\#(message)"}]"#, outcome: outcome,
            says: "Alpaca stream error \(code) \(message)" + (says.hasPrefix(";") ? says : ": \(says)"))
    }

    static func polygon(_ status: String, _ message: String, _ outcome: Outcome, _ says: String) -> Case {
        Case(
            provider: "polygon", frame: #"[{"ev":"status","status":"\#(status)","message":"\#(message)"}]"#, outcome: outcome,
            says: "Polygon stream \(status): \(message)" + (says.hasPrefix(";") ? says : ": \(says)"))
    }

    static func provider(_ name: String) -> any StreamProvider {
        switch name {
        case "alpaca": M.alpaca
        case "polygon": M.polygon
        default: M.finnhub
        }
    }

    @Test(arguments: cases)
    func anErrorOnALiveConnection(_ test: Case) throws {
        let provider = Self.provider(test.provider)
        var machine = M.live(provider)
        let id = provider.id
        let later = M.open + .seconds(5)
        let actions = machine.handle(.frame(test.frame, at: later))
        switch test.outcome {
        case .keeps(let state):
            let detail = try #require(actions.compactMap(Self.changedDetail).first)
            #expect(detail.hasPrefix(test.says), "\(detail)")
            #expect(actions.first == .warn("stream error", key: "error", text: detail))
            #expect(
                actions.contains {
                    if case .report(let health) = $0 {
                        health.first == .streamTrouble(id, message: detail, degrades: state != .streaming)
                    } else {
                        false
                    }
                })
            #expect(machine.phase == .live, "the connection is kept")
            if test.frame.contains("405") {
                // The symbol left out says why on its own row.
                let reason =
                    "not subscribed on ALPACA's stream: Alpaca stream error 405 symbol limit exceeded: over the plan's symbol limit"
                #expect(
                    actions.last
                        == .report([
                            .streamTrouble(id, message: detail, degrades: state != .streaming),
                            .noData(id, M.aapl, reason: reason)
                        ]))
            }
        case .reconnects(let state), .pauses(let state):
            #expect(actions == [.hangUp])
            let end = machine.handle(.hungUp(at: later))
            let failed = try #require(end.compactMap(Self.failure).first)
            #expect(failed.state == state)
            #expect(failed.message.hasPrefix(test.says), "\(failed.message)")
            #expect(!M.staysUp(after: end), "the end says the stream is down")
            #expect(end.contains(.report([.streamed(id, reconnects: 1, coalesced: 0, dropped: 0)])))
            if case .pauses = test.outcome {
                #expect(end.last == .pause(.seconds(300)))
                #expect(failed.message.hasSuffix("; next attempt at 15:05:05"), "\(failed.message)")
            } else {
                #expect(end.last == .reconnect(after: .seconds(1)))
                #expect(failed.message.hasSuffix("; reconnect 1 in 1s"), "\(failed.message)")
            }
            #expect(machine.phase == .dialing)
        case .stops:
            #expect(actions == [.hangUp])
            let end = machine.handle(.hungUp(at: later))
            let failed = try #require(end.compactMap(Self.failure).first)
            #expect(failed.state == .down)
            #expect(failed.message.hasPrefix(test.says), "\(failed.message)")
            #expect(!M.staysUp(after: end), "the end says the stream is down")
            #expect(end.last == .stop)
            #expect(!end.contains(.report([.streamed(id, reconnects: 1, coalesced: 0, dropped: 0)])), "no reconnect is counted")
            #expect(machine.phase == .stopped)
            #expect(machine.handle(.connected(at: later, watching: [M.aapl])) == [], "a stopped stream stays stopped")
        }
    }

    /// A stop or a pause is the stream's to show even while a poller stands in; a reconnect is
    /// only logged then (the poller speaks for the source).
    @Test(arguments: cases.filter { if case .keeps = $0.outcome { false } else { true } })
    func withAStandInPoller(_ test: Case) throws {
        let provider = Self.provider(test.provider)
        var machine = M.live(provider, pollingFallback: true)
        _ = machine.handle(.frame(test.frame, at: M.open))
        let end = machine.handle(.hungUp(at: M.open))
        let failed = try #require(end.compactMap(Self.failure).first)
        switch test.outcome {
        case .reconnects(let state) where state == .down:
            #expect(failed.state == .degraded)
            #expect(failed.message.hasPrefix("stream down: \(test.says)"), "\(failed.message)")
            #expect(failed.message.hasSuffix("; polling meanwhile"))
            #expect(end.contains(.warn("stream down, polling meanwhile", key: "error", text: failed.message)))
        default:
            #expect(failed.message.hasPrefix(test.says), "\(failed.message)")
            #expect(end.contains(.warn("stream failed", key: "error", text: failed.message)))
        }
    }

    static func changedDetail(_ action: StreamProtocolMachine.Action) -> String? {
        guard case .report(let health) = action, case .streamTrouble(_, let detail, _)? = health.first else { return nil }
        return detail
    }

    static func failure(_ action: StreamProtocolMachine.Action) -> (state: HealthState, message: String)? {
        guard case .report(let health) = action, case .failed(_, let failure)? = health.first,
            case .stream(let judged, let pollerStandsIn) = failure.cause
        else { return nil }
        return (pollerStandsIn ? .degraded : judged, failure.message)  // a stand-in poller keeps the source degraded
    }
}
