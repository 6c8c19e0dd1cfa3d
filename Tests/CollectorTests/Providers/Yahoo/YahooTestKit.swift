import Collector
import CollectorTestSupport
import Foundation
import ProviderTestSupport
import Synchronization

/// Builds Yahoo sources aimed at a loopback server, and a fake Yahoo that plays the
/// cookie + crumb dance the way `provider-formats.md` §2.2 describes it.
enum YahooTestKit {
    static func source(
        _ server: LoopbackHTTPServer, capture: LogCapture = LogCapture(), clock: ManualClock = ManualClock(),
        timeout: Duration = .seconds(5), includePrePost: Bool = false
    ) -> YahooSource {
        let configuration = SourceConfiguration.defaults(id: "yahoo", kind: .yahoo)
        let client = ProviderClient(
            id: configuration.id, baseURL: server.baseURL, transport: AsyncHTTPTransport(),
            limiter: RateLimiter(limit: RateLimit(requests: 100, per: .seconds(60)), clock: clock, timeSource: clock),
            timeout: timeout, timeSource: clock, logger: capture.logger(), jitter: { $0 })
        return YahooSource(configuration: configuration, client: client, includePrePost: includePrePost)
    }

    static func range(_ from: String, _ to: String) -> ClosedRange<Timestamp> {
        Timestamp(rfc3339: from)!...Timestamp(rfc3339: to)!
    }

    static func symbol(_ text: String) -> Symbol { try! Symbol(text) }
}

/// A fake Yahoo session server. Session `n` has the cookie `A3=d=SESSIONCOOKIE0n` and the crumb
/// `CrUmB0n.xYz`; the quote endpoint accepts only the crumbs in `accepted` and only with the
/// cookie of the same session.
final class FakeYahoo: Sendable {
    struct State {
        var sessions = 0
        var accepted: Set<Int> = [1, 2, 3]
        var quoteBody = "yahoo/quote-three.json"
        var crumbResponse: StubResponse?
    }

    let state = Mutex(State())

    static func cookie(_ n: Int) -> String { "SESSIONCOOKIE0\(n)" }
    static func crumb(_ n: Int) -> String { "CrUmB0\(n).xYz" }

    func accept(only sessions: Set<Int>) { state.withLock { $0.accepted = sessions } }
    func quotes(from fixture: String) { state.withLock { $0.quoteBody = fixture } }
    func crumbAnswer(_ response: StubResponse) { state.withLock { $0.crumbResponse = response } }

    func respond(_ request: RecordedRequest) -> StubResponse {
        switch request.path {
        case "/":
            let n = state.withLock { state in
                state.sessions += 1
                return state.sessions
            }
            return StubResponse(
                status: 404,
                headers: [
                    ("Content-Type", "text/html"),
                    (
                        "Set-Cookie",
                        "A3=d=\(Self.cookie(n)); Expires=Sat, 01 Mar 2027 00:00:00 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly"
                    ),
                    ("Set-Cookie", "A1=d=\(Self.cookie(n)); Domain=.yahoo.com; Path=/; SameSite=Lax; Secure; HttpOnly")
                ],
                body: Array("<html><body>Not found</body></html>".utf8))
        case "/v1/test/getcrumb":
            if let override = state.withLock({ $0.crumbResponse }) { return override }
            guard let n = session(of: request) else { return .text("", status: 200) }
            return .text(Self.crumb(n), status: 200)
        case "/v7/finance/quote":
            let (accepted, fixture) = state.withLock { ($0.accepted, $0.quoteBody) }
            guard let n = session(of: request), request.query("crumb") == Self.crumb(n), accepted.contains(n) else {
                // Echoes what it was sent, so tests see that no crumb or cookie leaks into an error.
                let echo = "\(request.query("crumb") ?? "-") with \(request.header("Cookie") ?? "-")"
                return .json(
                    #"{"finance":{"result":null,"error":{"code":"Unauthorized","description":"Invalid Crumb \#(echo)"}}}"#,
                    status: 401)
            }
            return Fixture.json(fixture)
        default:
            return .json(#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No such path"}}}"#, status: 404)
        }
    }

    /// The session whose cookie the request carries.
    private func session(of request: RecordedRequest) -> Int? {
        guard let cookie = request.header("Cookie") else { return nil }
        let count = state.withLock { $0.sessions }
        return (1...max(count, 1)).last { cookie.contains("A3=d=\(Self.cookie($0))") }
    }
}

/// Counts calls from a server handler.
final class YahooCallCounter: Sendable {
    private let value = Mutex(0)
    /// The count before this call.
    func next() -> Int {
        value.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}
