/// Spelling help for unknown keys and names that look like credentials.
enum KeySuggestion {
    /// Key names that would hold a secret; the file must name an environment variable instead.
    static let secretKeyNames: Set<String> = [
        "key", "api_key", "apikey", "api-key", "secret", "api_secret", "secret_key", "apisecret",
        "token", "api_token", "access_token", "auth_token", "password", "passwd", "passphrase",
        "key_id", "api_key_id", "secret_key_id", "credentials"
    ]

    static func isSecretLike(_ key: String) -> Bool {
        secretKeyNames.contains(key.lowercased())
    }

    /// The candidate closest to `key`, if it is close enough to be a likely typo.
    static func closest(to key: String, among candidates: [String]) -> String? {
        let lowered = key.lowercased()
        let scored = candidates.map { ($0, distance(lowered, $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, best.0.count / 3) ? best.0 : nil
    }

    /// `" (did you mean 'x'?)"` or an empty string.
    static func hint(for key: String, among candidates: [String], quote: (String) -> String = { "'\($0)'" }) -> String {
        closest(to: key, among: candidates).map { " (did you mean \(quote($0))?)" } ?? ""
    }

    /// Levenshtein edit distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
