/// The stream a source pushes from within the process (`MarketDataSource.liveStream`: the
/// simulated market, a replay), spoken as a `StreamProvider` so the one `StreamProtocolMachine`
/// runs it like a WebSocket stream. It is live once connected (no greeting, no key); its
/// connection (`InProcessStreamConnection`) yields the source's values decoded already, and its
/// subscribe and unsubscribe frames change the symbols the source streams.
///
/// What only it keeps (`StreamOptions`): a circuit breaker over failures in a row, and the
/// source's standing issue (a replay's skipped rows show the source degraded while it delivers).
package struct InProcessStreamProvider: StreamProvider {
    let source: any MarketDataSource
    package let options: StreamOptions

    /// `breaker`: failures in a row before the circuit opens, and how long it stays open.
    package init(source: any MarketDataSource, breaker: CircuitBreaker.Settings = .init()) {
        self.source = source
        options = StreamOptions(inProcess: true, circuitBreaker: breaker)
    }

    package var id: SourceID { source.id }
    package var url: String { Self.url }
    package var headers: [HTTPHeader] { [] }
    package var redactor: Redactor { Redactor() }
    package var decoder: any StreamMessageDecoder { NoText() }
    package var isLiveOnConnect: Bool { true }
    package var standingIssue: String? { source.standingIssue }

    /// Where an in-process stream "connects" (shown as `in process` by `ticktop sources`).
    static let url = "in process"

    /// Every symbol: the source says itself when it has none of them.
    package func serves(_ symbol: Symbol) -> Bool { true }
    package func authenticationFrame() -> String? { nil }

    package func subscribeFrames(_ symbols: [Symbol]) -> [String] {
        symbols.isEmpty ? [] : [InProcessFrame.subscribe(symbols).text]
    }

    package func unsubscribeFrames(_ symbols: [Symbol]) -> [String] {
        symbols.isEmpty ? [] : [InProcessFrame.unsubscribe(symbols).text]
    }

    /// An in-process source sends no error codes; its failures come as `StreamFailure`s already.
    package func failure(code: Int, message: String) -> StreamFailure {
        StreamFailure(message, state: .down, action: .reconnect, code: code)
    }

    /// What a failure of the source means for the stream: the source's health as a
    /// `ProviderError` says it (e.g. `formatChanged`), else down; always tried again.
    package static func failure(_ error: any Error) -> StreamFailure {
        let state = (error as? ProviderError)?.healthState ?? .down
        return StreamFailure(String(describing: error), state: state, action: .reconnect)
    }

    /// The stream's values arrive decoded; a text frame would be a programming error, never guessed at.
    private struct NoText: StreamMessageDecoder {
        func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage] {
            [.malformed("an in-process stream sends no text frames")]
        }
    }
}

/// A subscription change on an in-process stream, as the frame the machine sends.
enum InProcessFrame: Sendable, Hashable {
    case subscribe([Symbol])
    case unsubscribe([Symbol])

    /// `subscribe AAPL MSFT` (symbols never hold spaces).
    var text: String {
        switch self {
        case .subscribe(let symbols): (["subscribe"] + symbols.map(\.rawValue)).joined(separator: " ")
        case .unsubscribe(let symbols): (["unsubscribe"] + symbols.map(\.rawValue)).joined(separator: " ")
        }
    }

    /// Reads a frame `text` made; nil for anything else.
    init?(_ text: String) {
        let words = text.split(separator: " ").map(String.init)
        guard let verb = words.first, let symbols = try? words.dropFirst().map(Symbol.init) else { return nil }
        switch verb {
        case "subscribe": self = .subscribe(symbols)
        case "unsubscribe": self = .unsubscribe(symbols)
        default: return nil
        }
    }
}
