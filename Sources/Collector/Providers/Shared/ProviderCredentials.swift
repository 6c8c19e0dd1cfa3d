/// The key (and, for Alpaca, the secret) a source authenticates with.
/// Never printed: `description` shows only whether each part is set.
public struct ProviderCredentials: Sendable, Hashable, CustomStringConvertible {
    public var key: String?
    public var secret: String?

    public init(key: String? = nil, secret: String? = nil) {
        self.key = key
        self.secret = secret
    }

    /// The values to mask in every message.
    public var secrets: [String] { [key, secret].compactMap { $0 } }

    public var description: String {
        "credentials(key: \(key == nil ? "unset" : "set"), secret: \(secret == nil ? "unset" : "set"))"
    }
}
