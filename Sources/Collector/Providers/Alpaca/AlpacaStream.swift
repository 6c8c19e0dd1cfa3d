import Foundation

/// Alpaca's real-time stream (provider-formats.md §1.6, §1.7) as a `StreamProvider`:
/// `wss://stream.data.alpaca.markets/v2/{feed}` for stocks (`/v2/test` for the test
/// stream), `/v1beta3/crypto/us` for crypto. After `[{"T":"success","msg":"connected"}]`
/// it sends `{"action":"auth","key":..,"secret":..}`, and once authenticated subscribes
/// each symbol to trades, quotes and minute bars. The key and secret are masked in every message.
package struct AlpacaStream: StreamProvider, CustomStringConvertible {
    package let id: SourceID
    package let url: String
    package let decoder: any StreamMessageDecoder
    package let redactor: Redactor
    private let credentials: ProviderCredentials
    /// How long to wait after `406 connection limit exceeded` (another session holds the one connection).
    package var connectionLimitPause: Duration

    package init(
        id: SourceID, url: String, credentials: ProviderCredentials, connectionLimitPause: Duration = .seconds(300)
    ) {
        self.id = id
        self.url = url
        self.credentials = credentials
        self.decoder = AlpacaStreamMessageDecoder()
        self.redactor = Redactor(secrets: credentials.secrets)
        self.connectionLimitPause = connectionLimitPause
        self.isCrypto = url.contains("/crypto")
    }

    /// The crypto stream (`crypto`) or a stock stream, whatever the URL says (a local test server's may say neither).
    package init(id: SourceID, url: String, credentials: ProviderCredentials, crypto: Bool) {
        self.init(id: id, url: url, credentials: credentials)
        isCrypto = crypto
    }

    package var description: String { "Alpaca stream \(id.label) at \(redactor.redact(url: url))" }

    /// Auth goes in the first frame, not in headers, so a refused key gets its documented 402.
    package var headers: [HTTPHeader] { [] }

    /// The crypto stream serves crypto pairs; the stock streams (`/v2/...`) serve equities.
    /// Read from the URL (`/crypto` in its path) unless the initializer is told.
    package private(set) var isCrypto: Bool

    package func serves(_ symbol: Symbol) -> Bool {
        AlpacaMarket(symbol) == (isCrypto ? .crypto : .stocks)
    }

    package func authenticationFrame() -> String? {
        Self.json(["action": "auth", "key": credentials.key ?? "", "secret": credentials.secret ?? ""])
    }

    package func subscribeFrames(_ symbols: [Symbol]) -> [String] { frames("subscribe", symbols) }
    package func unsubscribeFrames(_ symbols: [Symbol]) -> [String] { frames("unsubscribe", symbols) }

    private func frames(_ action: String, _ symbols: [Symbol]) -> [String] {
        guard !symbols.isEmpty else { return [] }
        let names = symbols.map(AlpacaMarket.spelling(of:))
        return [Self.json(["action": action, "trades": names, "quotes": names, "bars": names])]
    }

    /// Each documented error code (§1.6) mapped to a health state and what to do next.
    package func failure(code: Int, message: String) -> StreamFailure {
        let said = "Alpaca stream error \(code) \(redactor.scrub(message))"
        switch code {
        case 400:
            return StreamFailure(
                "\(said): ticktop sent a message Alpaca could not read", state: .degraded, action: .keepConnection, code: code)
        case 401, 404:
            return StreamFailure("\(said): not authenticated in time; reconnecting", state: .down, action: .reconnect, code: code)
        case 402:
            return StreamFailure(
                "\(said): the key or secret was refused; not reconnecting (check the key variables and restart)",
                state: .down, action: .stop, code: code)
        case 403:
            return StreamFailure("\(said): already authenticated", state: .streaming, action: .keepConnection, code: code)
        case 405:
            return StreamFailure("\(said): over the plan's symbol limit", state: .degraded, action: .keepConnection, code: code)
        case 406:
            return StreamFailure(
                "\(said): another session already holds this account's connection; not retrying for \(connectionLimitPause.ageText)",
                state: .down, action: .pause(connectionLimitPause), code: code)
        case 407:
            return StreamFailure(
                "\(said): ticktop read too slowly; reconnecting", state: .degraded, action: .reconnect, code: code)
        case 408, 411:
            return StreamFailure(
                "\(said): the account lacks real-time data access; not reconnecting", state: .down, action: .stop, code: code)
        case 409:
            return StreamFailure(
                "\(said): the feed is not in the plan (use feed = \"iex\" on the free plan); not reconnecting",
                state: .down, action: .stop, code: code)
        case 410:
            return StreamFailure(
                "\(said): a channel this feed does not offer", state: .degraded, action: .keepConnection, code: code)
        case 429:
            return StreamFailure(
                "\(said): too many connection attempts; waiting \(connectionLimitPause.ageText)",
                state: .rateLimited, action: .pause(connectionLimitPause), code: code)
        default:
            return StreamFailure("\(said); reconnecting", state: .down, action: .reconnect, code: code)
        }
    }

    static func json(_ object: [String: any Sendable]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
