/// A provider's stream protocol, as `LiveStreamService` drives it: where to connect,
/// what to send after the server says hello, how to (un)subscribe, how to read frames,
/// and what each of the provider's error codes means. A WebSocket provider, or an in-process
/// source's stream (`InProcessStreamProvider`: the simulated market, a replay).
package protocol StreamProvider: Sendable {
    var id: SourceID { get }
    /// The URL to connect to (it may carry a token: show `redactor.redact(url:)` instead).
    var url: String { get }
    /// Headers for the upgrade request (may carry keys; never shown).
    var headers: [HTTPHeader] { get }
    /// Masks this provider's credentials in every message.
    var redactor: Redactor { get }
    var decoder: any StreamMessageDecoder { get }
    /// Whether `symbol` can be subscribed on this stream (e.g. stocks on Alpaca's stock stream).
    func serves(_ symbol: Symbol) -> Bool
    /// The frame sent after `.connected`; nil when the connection is authenticated already
    /// (the stream is live at `.connected`).
    func authenticationFrame() -> String?
    func subscribeFrames(_ symbols: [Symbol]) -> [String]
    func unsubscribeFrames(_ symbols: [Symbol]) -> [String]
    /// What an error the server sent means for the connection.
    func failure(code: Int, message: String) -> StreamFailure
    /// True where the server sends no greeting (Finnhub): the stream is live once connected.
    var isLiveOnConnect: Bool { get }
    /// The quote a trade stands for on a stream that sends no quotes (Finnhub), so the symbol's
    /// price follows the stream; nil where quotes come on their own.
    func quote(for trade: Trade) -> Quote?
    /// The rules beyond the protocol this stream keeps (see `StreamOptions`).
    var options: StreamOptions { get }
    /// A lasting problem the source works around (a replay's skipped rows): while set, the
    /// stream shows the source degraded with this text, even while it delivers.
    var standingIssue: String? { get }
}

extension StreamProvider {
    package var isLiveOnConnect: Bool { false }
    package func quote(for trade: Trade) -> Quote? { nil }
    package var options: StreamOptions { StreamOptions() }
    package var standingIssue: String? { nil }
}

/// Rules a `StreamProtocolMachine` keeps for one provider beyond its protocol.
package struct StreamOptions: Sendable, Hashable {
    /// The stream is pushed from within the process (the simulated market, a replay): nothing
    /// is dialled, so the health detail shows no URL, a failure says "retrying in" rather than
    /// "reconnect n in", and silence is the source's own pacing, never a stale connection (no
    /// watchdog).
    package var inProcess: Bool
    /// After this many failures in a row without market data the circuit opens: no attempt
    /// for its open duration (`circuitOpen`), then one probe decides (`halfOpen`). Nil: none.
    package var circuitBreaker: CircuitBreaker.Settings?

    package init(inProcess: Bool = false, circuitBreaker: CircuitBreaker.Settings? = nil) {
        self.inProcess = inProcess
        self.circuitBreaker = circuitBreaker
    }
}

/// Why a stream connection ended (or is in trouble), the health state it puts the source
/// in, and what the service does next.
package struct StreamFailure: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Action: Sendable, Hashable {
        /// Report it and keep the connection (e.g. a symbol limit).
        case keepConnection
        /// Close and reconnect after the backoff.
        case reconnect
        /// Close and wait this long before trying again (e.g. another session holds the connection).
        case pause(Duration)
        /// Close and do not try again until restart (e.g. the key was refused).
        case stop
    }

    package var message: String
    package var state: HealthState
    package var action: Action
    /// The provider's error code, when it sent one.
    package var code: Int?

    package init(_ message: String, state: HealthState, action: Action, code: Int? = nil) {
        self.message = message
        self.state = state
        self.action = action
        self.code = code
    }

    package var description: String { message }
}
