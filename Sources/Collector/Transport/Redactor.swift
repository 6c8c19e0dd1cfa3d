/// Removes secrets from anything about to be shown or logged.
///
/// Three layers: values of query parameters and headers whose names carry
/// credentials are replaced by `***`; and any occurrence of a known secret
/// value (the keys the client was given) is replaced wherever it appears, so
/// a key echoed back in an error body is caught too.
public struct Redactor: Sendable, Hashable {
    package static let mask = "***"

    /// Query parameters that carry credentials at some provider (lowercased).
    package static let sensitiveQueryNames: Set<String> = [
        "apikey", "api_key", "token", "access_token", "key", "secret", "crumb", "password"
    ]
    /// Headers that carry credentials at some provider (lowercased).
    package static let sensitiveHeaderNames: Set<String> = [
        "apca-api-key-id", "apca-api-secret-key", "x-finnhub-token", "authorization", "cookie", "set-cookie",
        "x-api-key", "x-polygon-api-key"
    ]

    private let secrets: [String]

    /// `secrets` are the credential values in use; very short ones are ignored
    /// (masking every "a" in a text would destroy it without protecting anything).
    public init(secrets: [String] = []) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// The length in characters of the longest secret masked (0 with none).
    package var longestSecretLength: Int { secrets.first?.count ?? 0 }

    /// A redactor that also masks `more` secrets (e.g. a session crumb learnt later).
    package func adding(_ more: [String]) -> Redactor {
        Redactor(secrets: secrets + more)
    }

    /// `text` with every known secret and every sensitive query value masked.
    package func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets {
            result = result.replacingAll(secret, with: Self.mask)
        }
        return Self.maskQueryValues(in: result)
    }

    /// A URL fit for a message: sensitive query values masked.
    public func redact(url: String) -> String { scrub(url) }

    package func redact(headers: [HTTPHeader]) -> [HTTPHeader] {
        headers.map { header in
            Self.sensitiveHeaderNames.contains(header.name.lowercased())
                ? HTTPHeader(header.name, Self.mask) : HTTPHeader(header.name, scrub(header.value))
        }
    }

    /// Masks the value of `name=value` pairs whose name is sensitive, in URLs and free text alike.
    static func maskQueryValues(in text: String) -> String {
        // On the bytes: Foundation's `contains` of a string costs as much as the masking.
        guard text.utf8.contains(UInt8(ascii: "=")) else { return text }
        var output = ""
        output.reserveCapacity(text.count)
        var rest = Substring(text)
        while let equals = rest.firstIndex(of: "=") {
            let before = rest[..<equals]
            let nameStart =
                before.lastIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                .map { before.index(after: $0) } ?? before.startIndex
            let name = before[nameStart...].lowercased()
            output += rest[...equals]
            rest = rest[rest.index(after: equals)...]
            guard sensitiveQueryNames.contains(name) else { continue }
            let valueEnd = Self.endOfQueryValue(in: rest)
            if valueEnd > rest.startIndex { output += mask }
            rest = rest[valueEnd...]
        }
        output += rest
        return output
    }

    /// Where a query value ends: at a separator, or at the message's own punctuation (`:` `,` `;`
    /// `.` `)` `]`) when only more of it, then whitespace or the end of the text, follows
    /// ("token=***: refused", "(see ...token=***), then").
    private static let closingPunctuation: Set<Character> = [":", ",", ";", ".", ")", "]"]

    private static func endOfQueryValue(in rest: Substring) -> Substring.Index {
        var index = rest.startIndex
        while index < rest.endIndex {
            let character = rest[index]
            if character == "&" || character.isWhitespace || character == "\"" || character == "'" || character == "#" {
                return index
            }
            if Self.closingPunctuation.contains(character) {
                let after = rest[index...].firstIndex { !Self.closingPunctuation.contains($0) } ?? rest.endIndex
                if after == rest.endIndex || rest[after].isWhitespace { return index }
                // The whole run is part of the value: step over it at once (linear in long runs).
                index = after
                continue
            }
            index = rest.index(after: index)
        }
        return rest.endIndex
    }
}

extension String {
    /// Every occurrence of `target` replaced, matched on UTF-8 bytes: exact whatever the text holds
    /// (NULs, combining marks), where Foundation's `range(of:)` once returned a range that trapped
    /// on a crumb of NULs from a provider's answer (found by fuzzing). A match of well-formed UTF-8
    /// always starts and ends on scalar boundaries, so the result is well-formed too.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard let first = needle.first else { return self }
        var bytes: [UInt8] = []
        var found = false
        var utf8 = Array(self.utf8)[...]
        while let start = utf8.firstIndex(of: first) {
            if utf8[start...].starts(with: needle) {
                bytes += utf8[..<start]
                bytes += replacement.utf8
                utf8 = utf8[(start + needle.count)...]
                found = true
            } else {
                bytes += utf8[...start]
                utf8 = utf8[(start + 1)...]
            }
        }
        guard found else { return self }
        bytes += utf8
        return String(decoding: bytes, as: UTF8.self)
    }
}
