/// Turns one text frame of a provider's stream into messages. The providers use their
/// byte-level decoders through `StreamFrameMessageDecoder`.
package protocol StreamMessageDecoder: Sendable {
    /// Every message in `frame`, in order. A frame that cannot be read at all is one
    /// `.malformed`; a bad element inside a batch is `.malformed` in its place, so the
    /// good values around it are kept. Never throws, never guesses a value.
    func decode(_ frame: String, source: SourceID, receivedAt: Timestamp) -> [StreamMessage]
}

/// One message read from a stream.
package enum StreamMessage: Sendable, Hashable {
    /// A market value.
    case event(MarketEvent)
    /// The server accepted the connection (Alpaca `success/connected`, Polygon `connected`).
    case connected
    /// The credentials were accepted.
    case authenticated
    /// The server's view of the subscription (Alpaca lists the full current set per channel).
    case subscription(trades: [String], quotes: [String], bars: [String])
    /// The server reported an error code with its message.
    case error(code: Int, message: String)
    /// A well-formed message ticktop does not use (status, LULD, corrections, pings).
    case ignored(type: String)
    /// What could not be read, shortened; never contains more than a short excerpt.
    case malformed(String)

    /// Whether the message carries market data (control messages do not feed the watchdog).
    package var isMarketData: Bool {
        if case .event = self { return true }
        return false
    }
}
