/// The key (and, for Alpaca, the secret) a source authenticates with.
/// Never printed: `description` shows only whether each part is set.
package struct ProviderCredentials: Sendable, Hashable, CustomStringConvertible {
    package var key: String?
    package var secret: String?

    package init(key: String? = nil, secret: String? = nil) {
        self.key = key
        self.secret = secret
    }

    /// The values to mask in every message.
    package var secrets: [String] { [key, secret].compactMap { $0 } }

    package var description: String {
        "credentials(key: \(key == nil ? "unset" : "set"), secret: \(secret == nil ? "unset" : "set"))"
    }
}
