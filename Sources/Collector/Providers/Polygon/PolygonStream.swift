import Foundation

/// Polygon's (Massive's) stock stream (provider-formats.md §4.4) as a `StreamProvider`:
/// after `connected` it sends `{"action":"auth","params":KEY}`, then subscribes
/// `T.SYM,Q.SYM,AM.SYM`. Serves equities.
package struct PolygonStream: StreamProvider, CustomStringConvertible {
    package let id: SourceID
    package let url: String
    package let decoder: any StreamMessageDecoder
    package let redactor: Redactor
    private let key: String
    package var connectionLimitPause: Duration

    package init(id: SourceID, url: String, key: String, connectionLimitPause: Duration = .seconds(300)) {
        self.id = id
        self.url = url
        self.key = key
        self.decoder = PolygonStreamMessageDecoder()
        self.redactor = Redactor(secrets: [key])
        self.connectionLimitPause = connectionLimitPause
    }

    package var description: String { "Polygon stream \(id.label) at \(redactor.redact(url: url))" }
    package var headers: [HTTPHeader] { [] }

    package func serves(_ symbol: Symbol) -> Bool { symbol.assetClass == .equity }

    package func authenticationFrame() -> String? { AlpacaStream.json(["action": "auth", "params": key]) }
    package func subscribeFrames(_ symbols: [Symbol]) -> [String] { frames("subscribe", symbols) }
    package func unsubscribeFrames(_ symbols: [Symbol]) -> [String] { frames("unsubscribe", symbols) }

    private func frames(_ action: String, _ symbols: [Symbol]) -> [String] {
        guard !symbols.isEmpty else { return [] }
        let params = symbols.flatMap { ["T.\($0.rawValue)", "Q.\($0.rawValue)", "AM.\($0.rawValue)"] }
        return [AlpacaStream.json(["action": action, "params": params.joined(separator: ",")])]
    }

    /// Polygon has no codes: the status names the failure (`auth_failed`, `auth_timeout`, `max_connections`).
    package func failure(code: Int, message: String) -> StreamFailure {
        let said = "Polygon stream \(redactor.scrub(message))"
        if message.hasPrefix("auth_failed") {
            return StreamFailure("\(said): the key was refused; not reconnecting", state: .down, action: .stop)
        }
        if message.hasPrefix("max_connections") {
            return StreamFailure(
                "\(said): another session holds this key's connection; not retrying for \(connectionLimitPause.ageText)",
                state: .down, action: .pause(connectionLimitPause))
        }
        return StreamFailure("\(said); reconnecting", state: .down, action: .reconnect)
    }
}
