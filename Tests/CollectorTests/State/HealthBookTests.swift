import Collector
import CollectorTestSupport
import Testing

private let F = MarketFixtures.self

/// The health reducer as a table: a source in a prior state (reached through facts), one more
/// fact, and what the source shows then, with the transition `reduce` returns.
@Suite("Health book: facts in, what each source shows out")
struct HealthBookTests {
    static let id: SourceID = "alpaca"
    static let t0 = F.baseTime
    static let later = F.baseTime + .seconds(5)
    static let crypto = F.symbol("BTC-USD")
    static let stock = F.symbol("AAPL")

    /// Prior states, each reached from `starting` by facts a producer would report.
    enum Prior: String, Sendable, CaseIterable {
        case starting, streaming, polling, degraded, down, rateLimited, circuitOpen, cryptoFailing

        var facts: [HealthFact] {
            let id = HealthBookTests.id
            let t0 = HealthBookTests.t0
            switch self {
            case .starting: return []
            case .streaming: return [.connected(id, detail: "streaming from wss://x")]
            case .polling: return [.delivered(id, .init(count: 2, path: .poll, roundTripMilliseconds: 80, at: t0))]
            case .degraded: return [.failed(id, .init(.retrying, message: "timeout; retrying", at: t0))]
            case .down: return [.failed(id, .init(.provider(.unauthorized), message: "HTTP 401", at: t0))]
            case .rateLimited: return [.throttled(id, until: t0 + .seconds(60))]
            case .circuitOpen: return [.failed(id, .init(.circuitOpen(until: t0 + .seconds(30)), message: "paused", at: t0))]
            case .cryptoFailing:
                return [
                    .delivered(id, .init(count: 1, path: .poll, at: t0)),
                    .partFailed(
                        id, part: "crypto", symbols: [HealthBookTests.crypto],
                        .init(.provider(.notFound), message: "HTTP 404", at: t0))
                ]
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var prior: Prior
        var fact: HealthFact
        var state: HealthState
        var detail: String?
        /// Whether what is shown moved (the transition then goes from the prior state to `state`).
        var moves: Bool
        var testDescription: String { "\(prior.rawValue) + \(fact)" }
    }

    static let paused = "requests paused until \((t0 + .seconds(60)).clockText) UTC"

    static let cases: [Case] = [
        // Connected, probing, throttled.
        Case(prior: .starting, fact: .connected(id, detail: "wss://x"), state: .streaming, detail: "wss://x", moves: true),
        Case(prior: .down, fact: .connected(id, detail: "wss://x"), state: .streaming, detail: "wss://x", moves: true),
        Case(prior: .circuitOpen, fact: .probing(id), state: .halfOpen, detail: "probing after a pause", moves: true),
        Case(prior: .polling, fact: .throttled(id, until: t0 + .seconds(60)), state: .rateLimited, detail: paused, moves: true),
        Case(
            prior: .cryptoFailing, fact: .throttled(id, until: t0 + .seconds(60)), state: .rateLimited, detail: paused,
            moves: true),
        // Deliveries: a poll shows polling, degraded with its issue, or streaming while a stream is up.
        Case(
            prior: .starting, fact: .delivered(id, .init(count: 1, path: .poll, at: later)), state: .polling, detail: nil,
            moves: true),
        Case(
            prior: .down, fact: .delivered(id, .init(count: 1, path: .poll, at: later)), state: .polling, detail: nil, moves: true
        ),
        Case(
            prior: .polling, fact: .delivered(id, .init(count: 1, path: .poll, issue: "no quote for ZZZ", at: later)),
            state: .degraded, detail: "no quote for ZZZ", moves: true),
        Case(
            prior: .streaming, fact: .delivered(id, .init(count: 1, path: .poll, streamUp: true, at: later)),
            state: .streaming, detail: "streaming from wss://x", moves: false),
        Case(
            prior: .streaming, fact: .delivered(id, .init(count: 1, path: .poll, at: later)), state: .polling, detail: nil,
            moves: true),
        Case(
            prior: .cryptoFailing, fact: .delivered(id, .init(count: 1, path: .poll, at: later)),
            state: .degraded, detail: "crypto degraded: HTTP 404", moves: false),
        // A stream batch: streaming with its connection; degraded with a standing issue.
        Case(
            prior: .starting, fact: .delivered(id, .init(count: 3, path: .stream, connection: "wss://x", at: later)),
            state: .streaming, detail: "wss://x", moves: true),
        Case(
            prior: .streaming, fact: .delivered(id, .init(count: 3, path: .stream, issue: "delayed plan", at: later)),
            state: .degraded, detail: "delayed plan", moves: true),
        Case(
            prior: .streaming, fact: .delivered(id, .init(count: 3, path: .stream, at: later)),
            state: .streaming, detail: "streaming from wss://x", moves: false),
        // Failures by cause.
        Case(
            prior: .polling, fact: .failed(id, .init(.retrying, message: "timeout; retrying", at: later)),
            state: .degraded, detail: "timeout; retrying", moves: true),
        Case(
            prior: .polling, fact: .failed(id, .init(.broken, message: "refused", at: later)), state: .down, detail: "refused",
            moves: true),
        Case(
            prior: .polling, fact: .failed(id, .init(.provider(.formatChanged), message: "HTML", at: later)),
            state: .formatChanged, detail: "HTML", moves: true),
        Case(
            prior: .polling, fact: .failed(id, .init(.provider(.rateLimited(retryAfter: nil)), message: "429", at: later)),
            state: .rateLimited, detail: "429", moves: true),
        Case(
            prior: .degraded, fact: .failed(id, .init(.circuitOpen(until: later), message: "paused", at: later)),
            state: .circuitOpen, detail: "paused", moves: true),
        // A failure that only degrades never lifts a source out of a worse state (issue 13).
        Case(
            prior: .rateLimited, fact: .failed(id, .init(.history(.notFound), message: "backfill failed", at: later)),
            state: .rateLimited, detail: paused, moves: false),
        Case(
            prior: .down, fact: .failed(id, .init(.history(nil), message: "backfill failed", at: later)),
            state: .down, detail: "HTTP 401", moves: false),
        Case(
            prior: .down, fact: .failed(id, .init(.retrying, message: "timeout; retrying", at: later)),
            state: .down, detail: "HTTP 401", moves: false),
        Case(
            prior: .polling,
            fact: .failed(id, .init(.history(.rateLimited(retryAfter: nil)), message: "backfill failed", at: later)),
            state: .rateLimited, detail: "backfill failed", moves: true),
        Case(
            prior: .polling, fact: .failed(id, .init(.history(.serverError), message: "backfill failed", at: later)),
            state: .degraded, detail: "backfill failed", moves: true),
        // A dropped stream stops reading `streaming` at once (issue 13), down or degraded while a poller stands in.
        Case(
            prior: .streaming,
            fact: .failed(id, .init(.stream(judged: .down, pollerStandsIn: false), message: "closed", at: later)),
            state: .down, detail: "closed", moves: true),
        Case(
            prior: .streaming,
            fact: .failed(id, .init(.stream(judged: .down, pollerStandsIn: true), message: "polling meanwhile", at: later)),
            state: .degraded, detail: "polling meanwhile", moves: true),
        Case(
            prior: .streaming,
            fact: .failed(id, .init(.stream(judged: .rateLimited, pollerStandsIn: false), message: "limit", at: later)),
            state: .rateLimited, detail: "limit", moves: true),
        // Stream trouble that keeps the connection.
        Case(
            prior: .streaming, fact: .streamTrouble(id, message: "symbol limit", degrades: true), state: .degraded,
            detail: "symbol limit", moves: true),
        Case(
            prior: .streaming, fact: .streamTrouble(id, message: "already authenticated", degrades: false),
            state: .streaming, detail: "already authenticated", moves: false),
        // A clean poll round's standing issue, and its end.
        Case(prior: .polling, fact: .polled(id, issue: "slow"), state: .degraded, detail: "slow", moves: true),
        Case(prior: .degraded, fact: .polled(id, issue: nil), state: .polling, detail: nil, moves: true),
        // Parts: a crypto 404 does not take the stocks down (issue 13).
        Case(
            prior: .polling,
            fact: .partFailed(id, part: "crypto", symbols: [crypto], .init(.provider(.notFound), message: "HTTP 404", at: later)),
            state: .degraded, detail: "crypto degraded: HTTP 404", moves: true),
        Case(
            prior: .streaming,
            fact: .partFailed(
                id, part: "crypto", symbols: [crypto], .init(.circuitOpen(until: later), message: "404s", at: later)),
            state: .degraded, detail: "crypto circuit-open: 404s; streaming from wss://x", moves: true),
        Case(
            prior: .down, fact: .partFailed(id, part: "crypto", symbols: [crypto], .init(.broken, message: "refused", at: later)),
            state: .down, detail: "HTTP 401", moves: false),
        Case(
            prior: .cryptoFailing, fact: .partRecovered(id, part: "crypto", at: later), state: .polling, detail: nil, moves: true),
        Case(prior: .polling, fact: .partRecovered(id, part: "crypto", at: later), state: .polling, detail: nil, moves: false),
        Case(
            prior: .cryptoFailing, fact: .everyPartFailing(id, parts: ["crypto"]), state: .degraded,
            detail: "crypto degraded: HTTP 404", moves: false),
        // Counters only.
        Case(prior: .down, fact: .rateLimit(id, remaining: 3), state: .down, detail: "HTTP 401", moves: false),
        Case(prior: .streaming, fact: .revised(id, bars: 2), state: .streaming, detail: "streaming from wss://x", moves: false),
        Case(prior: .polling, fact: .noData(id, stock, reason: "unknown to ALPACA"), state: .polling, detail: nil, moves: false)
    ]

    static func book(after prior: Prior) -> HealthBook {
        var book = HealthBook()
        book.configure(id, kind: "alpaca", state: .starting, detail: nil, at: t0)
        for fact in prior.facts { book.reduce(fact, at: t0) }
        return book
    }

    @Test(arguments: cases) func reduce(_ c: Case) throws {
        var book = Self.book(after: c.prior)
        let before = try #require(book.sources[Self.id]).state
        let moved = book.reduce(c.fact, at: Self.later)
        let shown = try #require(book.sources[Self.id])
        #expect(shown.state == c.state)
        #expect(shown.detail == c.detail)
        if c.moves {
            #expect(moved?.source == Self.id && moved?.from == before && moved?.to == c.state && moved?.at == Self.later)
            #expect(shown.stateSince == Self.later)
        } else {
            #expect(moved == nil)
        }
    }

    /// Issue 13: Alpaca's crypto endpoint failing leaves its stocks serving; only the crypto
    /// symbols fail over, and only while the part is unavailable.
    @Test func aFailingPartTakesOnlyItsOwnSymbolsOut() {
        var book = Self.book(after: .polling)
        book.reduce(
            .partFailed(
                Self.id, part: "crypto", symbols: [Self.crypto], .init(.provider(.notFound), message: "HTTP 404", at: Self.later)),
            at: Self.later)
        #expect(book.unavailablePart(of: Self.id, for: Self.crypto) == nil, "one 404 only degrades the part")
        book.reduce(
            .partFailed(
                Self.id, part: "crypto", symbols: [Self.crypto],
                .init(.circuitOpen(until: Self.later + .seconds(60)), message: "404s", at: Self.later)), at: Self.later)
        #expect(book.unavailablePart(of: Self.id, for: Self.crypto)?.name == "crypto")
        #expect(book.unavailablePart(of: Self.id, for: Self.stock) == nil)
        #expect(book.sources[Self.id]?.state == .degraded)
        #expect(book.sources[Self.id]?.failingParts?.map(\.name) == ["crypto"])
        #expect(book.sources[Self.id]?.lastError == "crypto: 404s")
        book.reduce(.everyPartFailing(Self.id, parts: ["crypto"]), at: Self.later)
        #expect(book.sources[Self.id]?.state == .circuitOpen, "every part polled failing: the worst part's state")
        book.reduce(.delivered(Self.id, .init(count: 1, path: .poll, at: Self.later)), at: Self.later)
        let dropped = book.retain(watched: [Self.stock], at: Self.later)
        #expect(dropped.map(\.to) == [.polling], "a part none of whose symbols is watched is no longer failing")
        #expect(book.sources[Self.id]?.failingParts == nil)
    }

    /// Latency is never negative: a feed delay below zero is clock skew, shown as 0 and named.
    @Test func latencyIsNeverNegative() {
        var book = Self.book(after: .starting)
        let ahead = FeedDelay([.quote(F.quote(at: Self.later + .milliseconds(1_500), receivedAt: Self.later))])
        book.reduce(
            .delivered(Self.id, .init(count: 1, path: .stream, feedDelay: ahead, connection: "wss://x", at: Self.later)),
            at: Self.later)
        #expect(book.sources[Self.id]?.latencyMilliseconds == 0)
        #expect(
            book.sources[Self.id]?.detail == "wss://x; clock skew: quotes stamped 1.5 s ahead of our clock; feed delay shown as 0"
        )
        book.reduce(.delivered(Self.id, .init(count: 1, path: .poll, roundTripMilliseconds: -3, at: Self.later)), at: Self.later)
        #expect(book.sources[Self.id]?.latencyMilliseconds == 0)
        #expect(book.shown(Self.id, at: Self.later)?.latencyP95Milliseconds == 0)
    }

    /// The windows: failures in the last minute, deliveries per second over 10 s, latency percentiles.
    @Test func windowsCountTheRecentPast() {
        var book = Self.book(after: .starting)
        for i in 0..<4 {
            book.reduce(
                .delivered(
                    Self.id,
                    .init(count: 10, path: .poll, roundTripMilliseconds: Double(10 * (i + 1)), at: Self.t0 + .seconds(i * 20))),
                at: Self.t0)
        }
        book.reduce(.failed(Self.id, .init(.retrying, message: "x", at: Self.t0)), at: Self.t0)
        book.reduce(.failed(Self.id, .init(.retrying, message: "y", at: Self.t0 + .seconds(61))), at: Self.t0)
        let shown = book.shown(Self.id, at: Self.t0 + .seconds(65))
        #expect(shown?.errorsLastMinute == 1)
        #expect(shown?.messagesPerSecond == 1, "only the delivery at 60 s is within 10 s")
        #expect(shown?.latencyP50Milliseconds == 30, "the one at 0 s fell out of the minute")
        #expect(shown?.latencyP95Milliseconds == 40)
    }

    /// A quote from a source forgets why it had none.
    @Test func aQuoteForgetsTheNoDataReason() {
        var book = Self.book(after: .streaming)
        book.reduce(.noData(Self.id, Self.stock, reason: "unknown to ALPACA"), at: Self.later)
        #expect(book.noDataReasons(for: Self.stock) == [Self.id: "unknown to ALPACA"])
        book.received(Self.stock, from: Self.id)
        #expect(book.noDataReasons(for: Self.stock) == nil)
    }
}
