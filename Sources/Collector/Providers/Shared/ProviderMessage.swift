import Foundation

/// Reading what a provider said: the message inside an error body, a short
/// excerpt of any body, and decoding failures in plain words.
enum ProviderMessage {
    /// Keys under which providers put their error text, in order of preference.
    static let messageKeys = ["message", "error", "Error Message", "Information", "Note", "description", "msg"]

    /// The provider's own error text from a JSON body, searching nested objects
    /// (Yahoo nests it as `chart.error.description`); nil when there is none.
    static func extract(from body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            let text = shorten(self.text(of: body), limit: 1_000)
            return text.isEmpty ? nil : text
        }
        return find(in: object, depth: 0)
    }

    private static func find(in value: Any, depth: Int) -> String? {
        guard depth < 4 else { return nil }
        if let text = value as? String { return depth == 0 ? text : nil }
        guard let object = value as? [String: Any] else { return nil }
        for key in messageKeys {
            if let text = object[key] as? String, !text.isEmpty { return text }
        }
        for key in object.keys.sorted() {
            if let nested = object[key] as? [String: Any], let found = find(in: nested, depth: depth + 1) { return found }
        }
        return nil
    }

    /// The start of a body as text (callers mask secrets before shortening it further).
    static func text(of body: [UInt8]) -> String {
        String(decoding: body.prefix(4_096), as: UTF8.self)
    }

    /// `text` with its secrets masked, on one line and cut to `limit` characters: exactly
    /// `shorten(redactor.scrub(text), limit:)`, at the cost of the start that can show. When the
    /// first `limit` characters plus the longest secret and a query name hold nothing to mask,
    /// nothing further on can reach the cut (a masked secret or `token=value` begins too late),
    /// so a 4 KB error body costs a few hundred characters of masking; otherwise the whole text
    /// is masked first (masking shortens it, which brings later text before the cut).
    static func excerpt(_ text: String, limit: Int = 160, masking redactor: Redactor) -> String {
        let start = prefix(of: text, characters: limit + redactor.longestSecretLength + 64)
        let shown = String(start)
        guard start.endIndex < text.endIndex, redactor.scrub(shown) == shown else {
            return shorten(redactor.scrub(text), limit: limit)
        }
        return shorten(shown, limit: limit)
    }

    /// The start of `text` that holds its first `characters` characters once whitespace runs
    /// count as one, whitespace included: what `shorten` reads for that many.
    private static func prefix(of text: String, characters: Int) -> Substring {
        if let ascii = asciiPrefix(of: text, characters: characters) { return ascii }
        var count = CollapsedLength()
        for index in text.indices where count.add(whitespace: text[index].isWhitespace) > characters {
            return text[..<index]
        }
        return text[...]
    }

    /// A length in characters once each run of whitespace counts as one, as `shorten` reads it.
    private struct CollapsedLength {
        private var length = 0
        private var inWhitespace = false

        /// Counts the next character; returns the length so far.
        mutating func add(whitespace: Bool) -> Int {
            if !(whitespace && inWhitespace) { length += 1 }
            inWhitespace = whitespace
            return length
        }
    }

    /// `text` on one line (runs of whitespace as one space, none at the ends), cut to `limit`
    /// characters with "…" when longer. Reads only as far as the cut: excerpts are made of
    /// 4 KB bodies (and of every malformed frame) to keep their first 160 characters.
    static func shorten(_ text: String, limit: Int = 160) -> String {
        asciiShorten(text, limit: limit) ?? shortenCharacters(text, limit: limit)
    }

    /// `shorten` read character by character (grapheme clusters): for any text.
    static func shortenCharacters(_ text: String, limit: Int) -> String {
        var oneLine = ""
        var length = 0
        var spacePending = false
        for character in text {
            if character.isWhitespace {
                spacePending = length > 0
                continue
            }
            if spacePending {
                guard length < limit else { return oneLine + "…" }
                oneLine.append(" ")
                length += 1
                spacePending = false
            }
            guard length < limit else { return oneLine + "…" }
            oneLine.append(character)
            length += 1
        }
        return oneLine
    }

    // ASCII text, the usual error body, is read byte by byte: the same result without grapheme
    // breaking, which cost a third of a fuzzed REST decode. Each ASCII byte is one character
    // except CR LF, one character made of two whitespace bytes, and a run of whitespace counts as
    // one either way. Both return nil at the first byte that is not ASCII (read no further).

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private static func asciiPrefix(of text: String, characters: Int) -> Substring? {
        var count = CollapsedLength()
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte < 0x80 else { return nil }
            if count.add(whitespace: isASCIIWhitespace(byte)) > characters { return text[..<index] }
            index = utf8.index(after: index)
        }
        return text[...]
    }

    private static func asciiShorten(_ text: String, limit: Int) -> String? {
        var oneLine: [UInt8] = []
        var spacePending = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if isASCIIWhitespace(byte) {
                spacePending = !oneLine.isEmpty
                continue
            }
            if spacePending {
                guard oneLine.count < limit else { return String(decoding: oneLine, as: UTF8.self) + "…" }
                oneLine.append(0x20)
                spacePending = false
            }
            guard oneLine.count < limit else { return String(decoding: oneLine, as: UTF8.self) + "…" }
            oneLine.append(byte)
        }
        return String(decoding: oneLine, as: UTF8.self)
    }

    /// A decoding failure as "missing key 'bars' at …", "expected a number at bars[0].o", …
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "the top level" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "the response changed shape: missing key '\(key.stringValue)'\(at)"
        case .typeMismatch(let type, let context):
            return "the response changed shape: expected \(name(of: type)) at \(path(context.codingPath))"
        case .valueNotFound(let type, let context):
            return "the response changed shape: null where \(name(of: type)) was expected at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "the response is not valid JSON (empty or cut short)" }
            return "the response changed shape: unreadable value at \(path(context.codingPath))"
        @unknown default:
            return "the response changed shape"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type, is Int.Type, is Int64.Type, is Decimal.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        default:
            String(describing: type).hasPrefix("Array")
                ? "a list" : (String(describing: type).hasPrefix("Dictionary") ? "an object" : "an object")
        }
    }
}
